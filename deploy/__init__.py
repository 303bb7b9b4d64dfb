"""Running the product as several processes behind a proxy (deploy/stack.py)."""
