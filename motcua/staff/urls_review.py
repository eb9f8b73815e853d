"""
Procedure review pages of the staff interface (/staff/review/), included by
``motcua.staff.urls`` (names in the ``staff`` namespace).
"""

from django.urls import path

from .views import review

review_patterns = [
    path("", review.candidates, name="review"),
    path(
        "procedures/<int:procedure_id>/",
        review.procedure_evidence,
        name="review-procedure",
    ),
    path("rounds/", review.rounds, name="review-rounds"),
    path("rounds/<int:round_id>/", review.round_detail, name="review-round"),
    path("rounds/<int:round_id>/close/", review.round_close, name="review-round-close"),
    path(
        "rounds/<int:round_id>/procedures/<int:procedure_id>/propose/",
        review.propose,
        name="review-propose",
    ),
    path(
        "proposals/<int:proposal_id>/act/",
        review.proposal_act,
        name="review-proposal-act",
    ),
]
