"""The per-article stages on Apache Spark, for piles one machine cannot parse in time.

Only the parse-heavy part moves: the driver still reads the inputs, skips what is stored,
writes every result through the one store writer and runs the link pass, exactly as in any
run, so idempotence, resumption and per-input errors are unchanged. Spark's executors run
``analyze_batch``, the same function local worker processes run, on batches shipped out in
waves of a few per executor core, so the driver's memory stays flat on a stream of any
length. Executors need newstrace and its model installed (local masters share this
interpreter; a cluster's nodes need the same packages).

PySpark is an optional dependency (``pip install 'newstrace[spark]'``) and needs Java 17+.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

from newstrace.model import Analysis, Article, InputFailure

if TYPE_CHECKING:
    from pyspark import SparkContext

logger = logging.getLogger(__name__)

# Batches in flight per core Spark offers: enough to keep every core busy while the slowest
# batch of a wave finishes, few enough that a wave's results fit the driver's memory.
BATCHES_PER_CORE = 2


class SparkUnavailable(RuntimeError):
    """Spark cannot start here: PySpark or Java is missing, or the master refused."""


def spark_context(master: str) -> SparkContext:
    """The session's context for ``master`` ("local[4]", "spark://host:7077", "yarn"),
    started once per process and reused."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailable(
            "PySpark is not installed: pip install 'newstrace[spark]' (needs Java 17+)"
        ) from error
    # Executors on this machine must run this interpreter, the one that has newstrace.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        session = (
            SparkSession.builder.master(master)
            .appName("newstrace")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")  # the run has its own progress
            .config("spark.log.level", "ERROR")
            .config("spark.python.worker.reuse", "true")  # load the model once per worker
            .getOrCreate()
        )
    except Exception as error:  # py4j raises bare exceptions for a missing or failed JVM
        raise SparkUnavailable(f"Spark could not start with master {master!r}: {error}") from error
    return session.sparkContext


def analyze_on_spark(
    batches: Iterator[list[Article]], master: str
) -> Iterator[list[Analysis | InputFailure]]:
    """``analyze_batch`` over every batch on Spark's executors, results in input order."""
    from newstrace.pipeline import analyze_batch

    context = spark_context(master)
    wave_size = max(1, BATCHES_PER_CORE * context.defaultParallelism)
    logger.info("spark %s: %d batches per wave", master, wave_size)
    while wave := list(islice(batches, wave_size)):
        work = [batch for batch in wave if batch]
        if work:
            yield from context.parallelize(work, len(work)).map(analyze_batch).collect()
