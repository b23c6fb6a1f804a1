"""The demo's steering committees as tables: members over time, meetings with their minutes
and decisions, and the action items they agreed, one module per part of the world (see
demo.data for the rest of the demo world and its conventions: invented people, ISO dates,
action items due a number of days from the day the seed runs).
"""

from demo.committees import (
    andean_community,
    argentina,
    central_america_caribbean,
    eastern_africa_south_asia,
)

# In the order the seed writes them (their ids follow it).
COMMITTEES = [
    *argentina.COMMITTEES,
    *andean_community.COMMITTEES,
    *central_america_caribbean.COMMITTEES,
    *eastern_africa_south_asia.COMMITTEES,
]
