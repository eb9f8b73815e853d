"""The National Public Service Portal connector: outbound sync, inbound mapping, simulator."""
