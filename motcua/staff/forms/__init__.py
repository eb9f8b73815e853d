"""Forms of the staff interface: they validate input, services decide."""

from .auth import StaffLoginForm

__all__ = ["StaffLoginForm"]
