"""Transparency scorecard: how completely and properly one disclosure discloses."""
from budgetkit.score.engine import Scorecard, score, score_many, scorecard_items

__all__ = ["score", "score_many", "Scorecard", "scorecard_items"]
