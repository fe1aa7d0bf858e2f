-- One source of truth for a moderator's restriction (issue 17 review): the agent case's 'restrict' has
-- always pinned the tier at restricted (agent_tier_pins), which is what the tier, the limits and the
-- payout holds read; agent_restrictions only repeated it, and disagreed once the pin was lifted or changed.
-- The decision and its note stay in agent_signal_reviews and moderation_actions ('restrict_agent').
-- DropTable
DROP TABLE "agent_restrictions";
