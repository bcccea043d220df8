"""The editorial and translation desk: a week's articles × languages in one admin screen."""
