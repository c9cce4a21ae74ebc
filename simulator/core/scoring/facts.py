"""Facts every criterion needs, digested once from the event log: what was treated, with what, when.

Criteria receive the events one by one (as PerkTutor's metrics do), but some rules need the
whole picture first: which trigger points were *treated*, whether this was dry needling,
whether the trainee correctly declined. `Facts.collect` builds that picture in one pass so
that every criterion reads the same answer.

Definitions (docs/scoring.md explains them for residents):
- A point is **treated** when an injection lands at it (`Injected.point_id`), or, in a dry
  needling attempt, when the needle elicits a twitch at it.
- An attempt is **dry needling** when nothing was injected with an injectate and the agent in
  hand (the last `AgentSelected`, or none) has no injectate.
- A **correct decline** is an `InjectionDeclined` with no skin puncture in a case whose policy
  says not to inject.
- A decline is **accepted** when no skin was punctured and its reason matches one the case lists
  (`agent_policy.decline_reasons`, plus `do_not_inject_reason`); its credit comes from the case.
  A correct decline for a reason the case does not list earns `UNLISTED_DECLINE_CREDIT`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from simulator.core import events as ev
from simulator.core.dose_book import DoseBook
from simulator.core.drug import allergy_match
from simulator.scenario.schema import Agent, AgentCatalogue, Case, DeclineReason, TriggerPoint

UNLISTED_DECLINE_CREDIT = 0.5  # right not to inject, but not for the reason the case turns on


def reason_key(text: str) -> str:
    """'Acute muscle trauma.' and 'acute muscle trauma' are the same reason (also used for topics)."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def reason_matches(given: str, listed: str) -> bool:
    """A given reason matches a listed one when equal, or when one is the start of the other (>= 6 letters)."""
    a, b = reason_key(given), reason_key(listed)
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a)))


def pretty(name: str) -> str:
    """upper_trapezius -> upper trapezius (names as a resident reads them)."""
    return name.replace("_", " ").strip()


def fmt_mm(value: float) -> str:
    return f"{value:.1f} mm"


def exact(value: float) -> str:
    """A dose as written on a chart: 2.5, 37.5, 200 (never rounded to a whole number that is wrong)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def finite(value: float, default: float = 0.0) -> float:
    """Guard against NaN or infinity leaking from a malformed log into the score."""
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else default


@dataclass
class Facts:
    case: Case
    catalogue: AgentCatalogue
    points: dict[str, TriggerPoint]
    punctures: list[ev.SkinPunctured] = field(default_factory=list)
    injections: list[ev.Injected] = field(default_factory=list)  # real injectate only
    needle_twitches: list[ev.TwitchElicited] = field(default_factory=list)
    snap_twitches: list[ev.TwitchElicited] = field(default_factory=list)
    selections: list[ev.AgentSelected] = field(default_factory=list)
    declines: list[ev.InjectionDeclined] = field(default_factory=list)
    counselling: list[ev.CounselGiven] = field(default_factory=list)
    dry_needling: bool = False
    treated_at: dict[str, float] = field(default_factory=dict)  # point id -> time first treated
    dose_book: DoseBook | None = None  # every injection of the log, replayed into one book
    end_t_s: float = 0.0

    # ------------------------------------------------------------ building
    @classmethod
    def collect(cls, case: Case, catalogue: AgentCatalogue, events: list[ev.Event]) -> "Facts":
        facts = cls(case=case, catalogue=catalogue, points={p.id: p for p in case.trigger_points})
        for event in events:
            facts.end_t_s = max(facts.end_t_s, finite(event.t_s))
            if isinstance(event, ev.SkinPunctured):
                facts.punctures.append(event)
            elif isinstance(event, ev.Injected):
                agent = catalogue.get(event.agent_id)
                if agent is None or agent.injectate:
                    facts.injections.append(event)
            elif isinstance(event, ev.TwitchElicited):
                (facts.needle_twitches if event.source == "needle" else facts.snap_twitches).append(event)
            elif isinstance(event, ev.AgentSelected):
                facts.selections.append(event)
            elif isinstance(event, ev.InjectionDeclined):
                facts.declines.append(event)
            elif isinstance(event, ev.CounselGiven):
                facts.counselling.append(event)
        facts.dose_book = DoseBook(case.patient.weight_kg)
        for shot in facts.injections:
            agent = facts.agent(shot.agent_id)
            if agent is not None:
                muscle = facts.points[shot.point_id].muscle if shot.point_id in facts.points else None
                facts.dose_book.add(agent, finite(shot.volume_ml), finite(shot.t_s), muscle)
        in_hand = facts.agent(facts.selections[-1].agent_id) if facts.selections else None
        facts.dry_needling = not facts.injections and (in_hand is None or not in_hand.injectate)
        if facts.dry_needling:
            for twitch in facts.needle_twitches:
                if twitch.point_id in facts.points:
                    facts.treated_at.setdefault(twitch.point_id, finite(twitch.t_s))
        else:
            for shot in facts.injections:
                if shot.point_id in facts.points:
                    facts.treated_at.setdefault(shot.point_id, finite(shot.t_s))
        return facts

    # ------------------------------------------------------------ questions
    def agent(self, agent_id: str | None) -> Agent | None:
        return self.catalogue.get(agent_id) if agent_id else None

    @property
    def active_ids(self) -> list[str]:
        return [p.id for p in self.case.trigger_points if p.activity == "active"]

    @property
    def treated_active(self) -> list[str]:
        return [pid for pid in self.treated_at if self.points[pid].activity == "active"]

    @property
    def punctured(self) -> bool:
        return bool(self.punctures)

    @property
    def first_puncture_t_s(self) -> float | None:
        return finite(self.punctures[0].t_s) if self.punctures else None

    @property
    def do_not_inject(self) -> bool:
        return self.case.agent_policy.do_not_inject

    @property
    def correct_decline(self) -> bool:
        """Declining without touching the skin, in a case that says not to inject."""
        return self.do_not_inject and bool(self.declines) and not self.punctured

    def accepted_reasons(self) -> list[DeclineReason]:
        """Reasons to decline this case accepts; the do-not-inject reason always, with full credit."""
        policy = self.case.agent_policy
        reasons = list(policy.decline_reasons)
        if policy.do_not_inject and policy.do_not_inject_reason:
            reasons.append(DeclineReason(reason=policy.do_not_inject_reason, credit=1.0))
        return reasons

    @property
    def decline_match(self) -> tuple[DeclineReason | None, float] | None:
        """(the listed reason matched or None, credit) for a decline with no puncture; None otherwise."""
        if not self.declines or self.punctured:
            return None
        given = self.declines[-1].reason
        matches = [r for r in self.accepted_reasons() if reason_matches(given, r.reason)]
        if matches:
            best = max(matches, key=lambda r: r.credit)
            return best, best.credit
        return None, UNLISTED_DECLINE_CREDIT if self.do_not_inject else 0.0

    @property
    def decline_accepted(self) -> bool:
        """Not treating was a defensible call: a decline, no puncture, and some credit for its reason."""
        found = self.decline_match
        return found is not None and found[1] > 0

    def first_given_t_s(self, agent_id: str) -> float:
        """When an agent was first given (injected, or for dry needling the first needle twitch)."""
        for shot in self.injections:
            if shot.agent_id == agent_id:
                return finite(shot.t_s)
        return min(self.treated_at.values(), default=self.end_t_s)

    @property
    def agents_used(self) -> list[str]:
        """Agent ids that were actually given, in order; dry needling counts as an agent."""
        if self.dry_needling:
            if not self.treated_at:
                return []  # needling without a twitch at a point is not a treatment
            in_hand = self.selections[-1].agent_id if self.selections else None
            if in_hand:
                return [in_hand]
            dry = next((a.id for a in self.catalogue.agents if not a.injectate), None)
            return [dry] if dry else []
        seen: list[str] = []
        for shot in self.injections:
            if shot.agent_id not in seen:
                seen.append(shot.agent_id)
        return seen

    def allergy_for(self, agent_id: str) -> str | None:
        """The patient's allergy this agent triggers (by agent id or drug class), if any."""
        agent = self.agent(agent_id)
        allergy = allergy_match(self.case, agent) if agent else None
        return allergy.substance if allergy is not None else None
