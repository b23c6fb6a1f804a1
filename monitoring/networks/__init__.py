"""The collaboration network of a cluster (DESIGN.md "Firms, surveys and the collaboration
network"): who cooperates with whom, from joint activities and survey answers, and its figures
per span of time."""
