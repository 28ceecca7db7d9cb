"""By area (``/districts``): before 01/07/2025 the districts, towns and cities; from then on the
communes, wards and special zones (dashboard/area.py), ranked, searched, tabled and mapped."""

from dashboard.area_page import render

render()
