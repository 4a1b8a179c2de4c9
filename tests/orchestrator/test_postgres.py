"""The same turns on PostgreSQL: the store, the decision log, the executions and the thread
checkpoints all live in the one database the URL names."""

from __future__ import annotations

from pathlib import Path

from config import Settings
from orchestrator.runtime import Concierge
from orchestrator.state import TurnState
from tests.orchestrator.demo import NOW, SHOPPER, hashing_encoder, rows, with_concierge
from tools.demo_store import TRUTH_FILE_NAME, DemoSpec, build_demo_store


def test_turns_on_postgresql_execute_once_and_keep_their_thread(
    pg_url: str, tmp_path: Path
) -> None:
    spec = DemoSpec(seed=7, skus=400, shoppers=20)
    with hashing_encoder():
        build_demo_store(url=pg_url, truth_path=tmp_path / TRUTH_FILE_NAME, spec=spec)
        settings = Settings(database_url=pg_url, data_dir=tmp_path)
        assert settings.resolved_checkpoint_url == pg_url

        async def work(concierge: Concierge) -> TurnState:
            for line in ("sneakers", "any deal on the first one?"):
                await concierge.turn(line, thread_id="pg", shopper_id=SHOPPER, now=NOW)
            return await concierge.thread("pg")

        state = with_concierge(settings, work)
    assert state["turn"] == 2 and state["shown"]
    kinds = {kind for (kind,) in rows(settings, "SELECT kind FROM executions")}
    assert kinds == {"show_recommendations", "quote_offer"}
    assert rows(settings, "SELECT count(DISTINCT thread_id) FROM checkpoints") == [(1,)]
