"""The library API used from notebooks: kg.build -> DataFrames and SPARQL."""

from __future__ import annotations

import kg
from kg.api import KnowledgeGraph
from tests.conftest import INPUTS


def test_build_returns_dataframes(seed_graph: KnowledgeGraph) -> None:
    papers = seed_graph.papers()
    assert len(papers) == 183
    assert {"id", "title", "code_urls", "proposed", "results"} <= set(papers.columns)
    entities = seed_graph.entities()
    assert set(entities["type"]) == {"Method", "Dataset", "Metric", "Task"}
    results = seed_graph.results()
    row = results[(results["dataset"] == "GSM8K") & (results["value"] == 94.0)]
    assert list(row["subject"]) == ["Step-DPO"]
    links = seed_graph.code_links()
    assert "https://github.com/dvlab-research/Step-DPO" in set(links["url"])


def test_query_returns_dataframe() -> None:
    graph = kg.build([INPUTS])
    df = graph.query("""
        PREFIX kg: <https://w3id.org/kg-ml/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?title (COUNT(?r) AS ?n) WHERE { ?p dcterms:title ?title ; kg:reports ?r }
        GROUP BY ?title ORDER BY ?title""")
    assert list(df.columns) == ["title", "n"]
    assert df.iloc[0]["title"].startswith("Step-DPO")
    assert df.iloc[0]["n"] >= 2
