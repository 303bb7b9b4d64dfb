"""The union's rules in pure Python: the organisation tree, the judgement of one target (progress), the
judgement of a unit's targets, the Python reference of the roll-up, mergers of units. No database."""
