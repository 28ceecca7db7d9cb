"""By district: rank, heatmap, trends and an offline bubble map of the districts, towns and cities."""

from dashboard.queries import DISTRICT_KINDS
from dashboard.unit_page import render

render(DISTRICT_KINDS, "districts")
