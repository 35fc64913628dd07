"""Mock rounds: loops, sessions and their turns, follow-up probes, the stakeholder
role-play, reports and the hiring-committee debrief."""
