"""Notification channels (e-mail, SMS, in-app) and SMS gateways, as plugins."""
