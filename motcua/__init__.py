"""motcua: one-stop administrative procedure system for a Vietnamese province."""
