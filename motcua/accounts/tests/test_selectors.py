from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.selectors import memberships_active_for, user_agency_ids

from .factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_memberships_active_for_keeps_only_memberships_in_force():
    user = UserFactory()
    today = timezone.localdate()
    current = MembershipFactory(user=user)
    MembershipFactory(user=user, is_active=False)
    MembershipFactory(user=user, valid_from=today + timedelta(days=1))
    MembershipFactory(user=user, valid_from=today - timedelta(days=10), valid_to=today)
    MembershipFactory()  # someone else's

    assert list(memberships_active_for(user)) == [current]


def test_memberships_active_for_an_inactive_or_anonymous_user_is_empty():
    membership = MembershipFactory()
    membership.user.is_active = False
    membership.user.save()

    assert list(memberships_active_for(membership.user)) == []
    assert list(memberships_active_for(AnonymousUser())) == []


def test_memberships_active_for_loads_agencies_in_one_query(
    django_assert_num_queries,
):
    user = UserFactory()
    MembershipFactory.create_batch(3, user=user)

    with django_assert_num_queries(1):
        names = [m.agency.name for m in memberships_active_for(user)]
    assert len(names) == 3


def test_user_agency_ids_filters_by_role():
    user = UserFactory()
    centre, department = AgencyFactory(), AgencyFactory()
    MembershipFactory(user=user, agency=centre, role=Role.RECEPTION)
    MembershipFactory(user=user, agency=department, role=Role.PROCESSING)
    MembershipFactory(user=user, agency=AgencyFactory(), is_active=False)

    assert user_agency_ids(user) == {centre.pk, department.pk}
    assert user_agency_ids(user, roles=[Role.PROCESSING]) == {department.pk}
    assert user_agency_ids(user, roles=[Role.SUPERVISOR]) == set()
