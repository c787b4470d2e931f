"""The worker's job as a plain function: events in, state changes out.

Classification and the policy decision happen here in Python; the store's script only
executes the decision, atomically. Tasks call this and nothing else.
"""

from __future__ import annotations

from app.classify import BUILT_IN, Classification, Evidence, TextRules, classify
from app.events import BounceEvent, EventType
from app.policy import Policy
from app.store import Application, Outcome, Store


def classify_event(event: BounceEvent, rules: TextRules = BUILT_IN) -> Classification | None:
    """Bounces are classified; complaints, deliveries and engagement need no code."""
    if event.event_type is not EventType.BOUNCE:
        return None
    return classify(
        Evidence(
            smtp_code=event.smtp_code,
            enhanced_code=event.enhanced_code,
            diagnostic=event.diagnostic,
            provider_reason=event.provider_reason,
            bounce_type=event.bounce_type,
            provider=event.provider,
        ),
        rules,
    )


def plan(event: BounceEvent, policy: Policy, rules: TextRules = BUILT_IN) -> Application:
    """The decision for one event, ready for the store to apply."""
    verdict = classify_event(event, rules)
    code = verdict.code if verdict else None
    action, source = policy.action_for(event, code)
    return Application(
        email=event.recipient,
        event_id=event.event_id,
        action=str(action.kind),
        weight=action.weight,
        occurred_at_ms=event.occurred_at_ms,
        code=code,
        category=str(verdict.category) if verdict else "",
        source=source,
        diagnostic=event.diagnostic,
        matched_by=verdict.matched_by if verdict else "",
        provider=event.provider,
        message_id=event.message_id,
        history={
            "at": event.occurred_at_ms,
            "type": str(event.event_type),
            "code": code,
            "action": str(action.kind),
            "provider": event.provider,
            "smtp_code": event.smtp_code,
            "enhanced_code": event.enhanced_code,
            "reason": event.provider_reason,
            "diagnostic": event.diagnostic,
            "message_id": event.message_id,
        },
    )


def apply_events(
    events: list[BounceEvent],
    store: Store,
    policy: Policy,
    now_ms: int,
    rules: TextRules = BUILT_IN,
) -> list[Outcome]:
    """Classify, decide and apply a batch; safe to call again with the same events."""
    if not events:
        return []
    plans = [plan(event, policy, rules) for event in events]
    return store.apply(plans, policy.window_days, policy.threshold, now_ms)
