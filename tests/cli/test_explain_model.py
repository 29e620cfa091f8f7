"""`clean --explain --line N` with the learned model: its probability and features, kept or removed; its errors."""

from __future__ import annotations

from conftest import MODEL_PAGE

from cleaner.cli import app


def explain(runner, tmp_path, line: int) -> dict[str, list[str]]:
    page = tmp_path / "page.txt"
    page.write_text(MODEL_PAGE, encoding="utf-8")
    result = runner.invoke(app, ["--no-config", "--explain", str(page), "--line", str(line)])
    assert result.exit_code == 0, result.output
    rows: dict[str, list[str]] = {}
    for row in result.stdout.splitlines():
        label, _, value = row.partition("  ")
        rows.setdefault(label.strip(), []).append(value.strip())
    return rows


def test_a_rescued_line_says_the_model_kept_it_outside_the_article(runner, tmp_path, stand_in_model):
    rows = explain(runner, tmp_path, 20)
    assert rows["verdict"] == ["kept"] and rows["main body"][0].endswith("this line is after it")
    assert rows["model"] == ["content probability 0.95: kept by the learned model although outside the article "
                             "(it keeps 0.85 or more)"]
    assert rows["model says"] == ["reads like prose (+3.0)"]


def test_a_line_cut_inside_the_article_shows_its_probability_and_features(runner, tmp_path, stand_in_model):
    rows = explain(runner, tmp_path, 4)
    assert rows["verdict"][0].startswith("removed by main-body MODEL2 (")
    assert "content probability 0.05 (< 0.10): does not read like prose (-3.0)" in rows["verdict"][0]
    assert rows["model"][0].startswith("content probability 0.05: removed by the learned model inside the article")
    assert rows["model says"] == ["does not read like prose (-3.0)"]


def test_a_line_the_model_leaves_to_the_locator(runner, tmp_path, stand_in_model):
    rows = explain(runner, tmp_path, 8)  # a menu line after the article
    assert rows["verdict"][0].startswith("removed by main-body BODY2")
    assert rows["model"][0].startswith("content probability 0.05: it leaves the locator's cut alone")


def test_a_missing_model_file_is_one_line_and_skip_main_body_still_works(runner, tmp_path, monkeypatch):
    from cleaner.detectors import content_model

    page = tmp_path / "page.txt"
    page.write_text(MODEL_PAGE, encoding="utf-8")
    monkeypatch.setattr(content_model, "MODEL_FILE", tmp_path / "gone.json")
    content_model.shipped_model.cache_clear()
    try:
        failed = runner.invoke(app, ["--no-config", str(page)])
        assert failed.exit_code == 1 and failed.stdout == ""
        lines = failed.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("clean: content model: ") and "gone.json" in lines[0]
        skipped = runner.invoke(app, ["--no-config", "--skip", "main-body", str(page)])
        assert skipped.exit_code == 0 and "Menu item 3" in skipped.stdout
    finally:
        content_model.shipped_model.cache_clear()
