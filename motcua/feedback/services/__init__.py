"""
Write services of the feedback app: citizen ratings and PAKN (citizens'
reports and recommendations).
"""

from .ratings import clean_answers, rating_submit

__all__ = ["clean_answers", "rating_submit"]
