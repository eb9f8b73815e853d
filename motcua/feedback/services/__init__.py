"""
Write services of the feedback app: citizen ratings and PAKN (citizens'
reports and recommendations).
"""

from .pakn import feedback_apply_action, feedback_submit
from .ratings import clean_answers, rating_submit

__all__ = ["clean_answers", "feedback_apply_action", "feedback_submit", "rating_submit"]
