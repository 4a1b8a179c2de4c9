"""The policy checker: what may be proposed, the rules that judge it, and the decision log.

- `policies.actions`: the typed, versioned actions agents and users may propose;
- `policies.context`: the facts a decision may use, gathered from the store by the caller;
- `policies.engine.check`: the pure decision function (fails closed);
- `policies.loader`: rule packs (YAML) — `default_pack()` is the one that ships;
- `policies.decision`: `PolicyDecision` and `verify_decision`, which executors call;
- `policies.checker.PolicyChecker`: decide and record every decision;
- `policies.audit`: the append-only, hash-chained decision log;
- `policies.shadow`: re-evaluate recorded actions under a candidate pack.
"""
