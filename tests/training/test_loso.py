"""The leave-one-set-out command's tree-shape options (cleaner.training.loso), shared by the train command."""

from __future__ import annotations

import argparse

from cleaner.training.loso import PARAMS, ROUNDS, add_shape_arguments, shape_params


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_shape_arguments(parser)
    return parser.parse_args(list(argv))


def test_the_defaults_are_the_shipped_shape():
    params = shape_params(parse())
    assert params == {key: PARAMS[key] for key in ("num_leaves", "max_depth", "min_data_in_leaf", "learning_rate",
                                                    "num_threads")}
    assert (ROUNDS, PARAMS["num_leaves"], PARAMS["max_depth"]) == (60, 15, 5) and PARAMS["num_threads"] == 1


def test_the_first_models_shape_can_be_asked_for():
    params = shape_params(parse("--num-leaves", "31", "--max-depth", "-1", "--learning-rate", "0.1", "--threads", "2"))
    assert params["num_leaves"] == 31 and params["max_depth"] == -1 and params["learning_rate"] == 0.1
    assert params["num_threads"] == 2
