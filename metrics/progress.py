"""The public face of the judgement of one target (docs/interfaces.md): ``from metrics.progress import assess``.

The work is ``metrics.domain.progress``; nothing inside the project imports this module (a contract in
pyproject.toml, checked by ``lint-imports``), so it stays only for the callers outside.
"""

from metrics.domain.progress import (
    DETERIORATION,
    LIMIT_EXPONENT,
    LIMITED,
    MODERATE,
    NO_TARGET,
    NOT_ACHIEVED,
    NOT_AVAILABLE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    WITH_TARGET_THRESHOLDS,
    WITHOUT_TARGET_THRESHOLDS,
    ZERO_REPLACEMENT,
    Assessment,
    assess,
    clean_series,
    combine,
    direction_sign,
    growth,
    limit_coefficient,
    score_with_target,
    status_from_ratio,
    status_from_score,
)

__all__ = ["DETERIORATION", "LIMITED", "LIMIT_EXPONENT", "MODERATE", "NOT_ACHIEVED", "NOT_AVAILABLE", "NO_TARGET",
           "SUBSTANTIAL", "TARGET_ACHIEVED", "WITHOUT_TARGET_THRESHOLDS", "WITH_TARGET_THRESHOLDS", "ZERO_REPLACEMENT",
           "Assessment", "assess", "clean_series", "combine", "direction_sign", "growth", "limit_coefficient",
           "score_with_target", "status_from_ratio", "status_from_score"]
