"""By department: rank, heatmap and trends of the provincial departments and agencies."""

from dashboard.queries import DEPARTMENT_KINDS
from dashboard.unit_page import render

render(DEPARTMENT_KINDS, "departments")
