#!/bin/sh
# Offline bulk import into an empty or replaced database (Neo4j 5+), server stopped:
#   sh import.sh [DATABASE]     (neo4j-admin on PATH, default database: neo4j)
# Then start the server and run: cypher-shell -d DATABASE -f constraints.cypher
set -eu
cd "$(dirname "$0")"
neo4j-admin database import full "${1:-neo4j}" --overwrite-destination=true \
  --multiline-fields=true --array-delimiter=';' \
  --nodes=nodes_Dataset.csv \
  --nodes=nodes_DatasetCard.csv \
  --nodes=nodes_Method.csv \
  --nodes=nodes_Metric.csv \
  --nodes=nodes_ModelCard.csv \
  --nodes=nodes_Paper.csv \
  --nodes=nodes_ProjectPage.csv \
  --nodes=nodes_Repository.csv \
  --nodes=nodes_Result.csv \
  --nodes=nodes_Task.csv \
  --relationships=rels_addresses_Paper_Task.csv \
  --relationships=rels_buildsOn_Paper_Paper.csv \
  --relationships=rels_evaluatedOn_Paper_Dataset.csv \
  --relationships=rels_forMetric_Result_Metric.csv \
  --relationships=rels_hasCode_Paper_Repository.csv \
  --relationships=rels_hasDatasetCard_Paper_DatasetCard.csv \
  --relationships=rels_hasModelCard_Paper_ModelCard.csv \
  --relationships=rels_hasProjectPage_Paper_ProjectPage.csv \
  --relationships=rels_measuredBy_Paper_Metric.csv \
  --relationships=rels_ofMethod_Result_Method.csv \
  --relationships=rels_onDataset_Result_Dataset.csv \
  --relationships=rels_outperforms_Method_Method.csv \
  --relationships=rels_proposes_Paper_Dataset.csv \
  --relationships=rels_proposes_Paper_Method.csv \
  --relationships=rels_reports_Paper_Result.csv \
  --relationships=rels_uses_Paper_Method.csv
