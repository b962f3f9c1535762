"""Where the pipeline's work runs: processes on this machine, or a Spark cluster.

A :class:`Backend` is what a notebook's ``BACKEND`` and ``SPARK_MASTER`` parameters build
(:func:`backend`). Stages ask it for a *mapper* (how many independent tasks are spread:
reading files, cleaning articles, scoring keyness blocks) and for a vector space
(:meth:`Backend.vectorize`); the functions the tasks run are the same on both backends, so
the tables are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.pipeline import spark, vectors
from analysis.pipeline.parallel import Mapper, ParallelMap, serial_map, usable_cores
from analysis.pipeline.vectors import VectorSpace

BACKENDS = ("local", "spark")


@dataclass(frozen=True)
class Backend:
    """Where work runs.

    Attributes
    ----------
    name : {"local", "spark"}
        ``"local"``: processes of this machine (:class:`~analysis.pipeline.parallel.ParallelMap`)
        and scikit-learn; ``"spark"``: Spark tasks and aggregations (:mod:`analysis.pipeline.spark`).
    master : str
        Spark master URL (``"local[*]"``, ``"spark://host:7077"``, ``"yarn"``...); only read
        by the Spark backend.

    Examples
    --------
    >>> from analysis.pipeline.backends import Backend
    >>> Backend().name
    'local'
    """

    name: str = "local"
    master: str = spark.DEFAULT_MASTER

    def __post_init__(self) -> None:
        if self.name not in BACKENDS:
            raise ValueError(f"BACKEND must be one of {', '.join(map(repr, BACKENDS))}, got {self.name!r}")
        if not isinstance(self.master, str) or not self.master.strip():
            raise ValueError(f"SPARK_MASTER must be a Spark master URL such as 'local[*]', got {self.master!r}")

    @property
    def on_spark(self) -> bool:
        """Whether work runs on Spark."""
        return self.name == "spark"

    def start(self) -> Backend:
        """Start what the backend needs now (a Spark session), so a missing Java or pyspark shows at once.

        Returns
        -------
        Backend
            Itself.

        Raises
        ------
        analysis.pipeline.spark.SparkUnavailable
            When the Spark backend cannot start; the message names the fix.
        """
        if self.on_spark:
            spark.session(self.master)
        return self

    def mapper(
        self, chunk_size: int = 1, workers: int | None = None, progress: str | None = None, unit: str = "item"
    ) -> Mapper:
        """The mapper that spreads many independent tasks.

        Parameters
        ----------
        chunk_size : int
            Items a local process receives at a time (Spark sends partitions of
            :data:`~analysis.pipeline.spark.ITEMS_PER_PARTITION` items).
        workers : int, optional
            Local processes; None: one per usable core. Spark uses its cluster's cores.
        progress : str, optional
            Label of a progress bar.
        unit : str
            What an item is called in the progress bar.

        Returns
        -------
        Mapper
            A :class:`~analysis.pipeline.parallel.ParallelMap` or a :class:`~analysis.pipeline.spark.SparkMap`.
        """
        if self.on_spark:
            return spark.SparkMap(self.master, progress=progress, unit=unit)
        return ParallelMap(usable_cores() if workers is None else workers, chunk_size, progress, unit)

    def task_mapper(self) -> Mapper:
        """The mapper for tasks that are quick on one machine (keyness blocks): here in order, or on Spark.

        Returns
        -------
        Mapper
            :func:`~analysis.pipeline.parallel.serial_map`, or a :class:`~analysis.pipeline.spark.SparkMap`.
        """
        return spark.SparkMap(self.master) if self.on_spark else serial_map

    def vectorize(
        self,
        documents: Iterable[tuple[str, Sequence[str]]],
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        sublinear_tf: bool = False,
    ) -> VectorSpace:
        """Count and TF-IDF matrices of cleaned documents (see :func:`analysis.pipeline.vectors.vectorize`).

        Parameters
        ----------
        documents : iterable of (str, sequence of str)
            ``(doc_id, tokens)`` in corpus order.
        min_df, max_df : int or float
            Document-frequency pruning.
        sublinear_tf : bool
            Use ``1 + ln(tf)`` in TF-IDF.

        Returns
        -------
        VectorSpace
            The same space on either backend.
        """
        if self.on_spark:
            return spark.vectorize(list(documents), min_df, max_df, sublinear_tf, master=self.master)
        return vectors.vectorize(documents, min_df, max_df, sublinear_tf=sublinear_tf)


LOCAL = Backend()


def backend(name: str | Backend | None = "local", master: str = spark.DEFAULT_MASTER) -> Backend:
    """The backend a notebook's ``BACKEND`` and ``SPARK_MASTER`` parameters name.

    Parameters
    ----------
    name : {"local", "spark"}, Backend or None
        None means ``"local"``; a :class:`Backend` is returned as it is.
    master : str
        Spark master URL.

    Returns
    -------
    Backend
        Started (see :meth:`Backend.start`).

    Raises
    ------
    ValueError
        On an unknown name.
    analysis.pipeline.spark.SparkUnavailable
        When Spark is asked for and cannot start.
    """
    if isinstance(name, Backend):
        return name.start()
    return Backend(name or "local", master).start()
