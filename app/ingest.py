"""The worker's job as a plain function: events in, state changes out.

Classification and the policy decision happen here in Python; the store's script only
executes the decision, atomically. Tasks call this and nothing else.
"""

from __future__ import annotations

from app import metrics
from app.classify import BUILT_IN, Classification, Evidence, Grade, TextRules, classify
from app.events import BounceEvent, EventType
from app.policy import ESP_HARD_BOUNCE_CODE, Policy
from app.store import Application, Limits, Outcome, Store
from app.taxonomy import category_of

_CATEGORY_BY_TYPE = {EventType.COMPLAINT: "complaint"}


def limits(policy: Policy) -> Limits:
    return Limits(
        policy.window_days, policy.threshold, policy.alert_min_rejections, policy.alert_min_ratio
    )


def classify_event(event: BounceEvent, rules: TextRules = BUILT_IN) -> Classification | None:
    """Bounces are classified; complaints, deliveries and engagement need no code. A hard
    bounce the ESP reports only as the reason it suppressed the address carries no evidence to
    classify: it is the permanent failure the ESP judged it to be."""
    if event.event_type is not EventType.BOUNCE:
        return None
    if event.esp_list:
        code = ESP_HARD_BOUNCE_CODE
        return Classification(code, category_of(code), esp_matched_by(event), Grade.STATUS)
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


def evidence_text(event: BounceEvent) -> str:
    """The diagnostic, or what the ESP said instead (seed 004's shape has no diagnostic text):
    kept with the suppression so an operator can see the evidence."""
    if event.diagnostic:
        return event.diagnostic
    return " ".join(p for p in (event.smtp_code, event.enhanced_code, event.provider_reason) if p)


def esp_matched_by(event: BounceEvent) -> str:
    """Why an ESP list change was applied: the list and the ESP's reason, e.g.
    `esp:postmark:outbound:HardBounce`."""
    return f"esp:{event.esp_list}:{event.provider_reason}"


def plan(event: BounceEvent, policy: Policy, rules: TextRules = BUILT_IN) -> Application:
    """The decision for one event, ready for the store to apply."""
    return decide(event, classify_event(event, rules), policy)


def decide(event: BounceEvent, verdict: Classification | None, policy: Policy) -> Application:
    """What the policy does with a classified event."""
    code = verdict.code if verdict else None
    grade = verdict.grade if verdict else Grade.STATUS
    action, source = policy.action_for(event, code, grade)
    matched_by = verdict.matched_by if verdict else ""
    if event.esp_list and not matched_by:
        matched_by = esp_matched_by(event)
    return Application(
        email=event.recipient,
        event_id=event.event_id,
        action=str(action.kind),
        weight=action.weight,
        occurred_at_ms=event.occurred_at_ms,
        code=code,
        category=str(verdict.category) if verdict else _CATEGORY_BY_TYPE.get(event.event_type, ""),
        source=source,
        diagnostic=evidence_text(event),
        matched_by=matched_by,
        provider=event.provider,
        message_id=event.message_id,
        grade=str(verdict.grade) if verdict else "",
        time_note=str(event.time_note),
        reported_at_ms=event.reported_at_ms,
        esp_list=event.esp_list,
        kind=str(event.event_type),
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
    outcomes = store.apply(plans, limits(policy), now_ms)
    metrics.observe_applied(plans, outcomes)
    return outcomes
