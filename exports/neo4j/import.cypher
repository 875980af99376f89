// Load the CSVs of this folder into a running Neo4j (5.23+ or 2025.x): copy them
// into the server's import/ folder, then: cypher-shell -u neo4j -p ... -f import.cypher
// Every statement MERGEs on `id`, so running it again changes nothing.
// Fields are quoted as in RFC 4180 ("" inside quotes). Text with a backslash before a
// quote (LaTeX such as G\"odel) needs dbms.import.csv.legacy_quote_escaping=false.

CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT datasetcard_id IF NOT EXISTS FOR (n:DatasetCard) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT method_id IF NOT EXISTS FOR (n:Method) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT metric_id IF NOT EXISTS FOR (n:Metric) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT modelcard_id IF NOT EXISTS FOR (n:ModelCard) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT projectpage_id IF NOT EXISTS FOR (n:ProjectPage) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT repository_id IF NOT EXISTS FOR (n:Repository) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Dataset.csv' AS row
CALL (row) {
  MERGE (n:Dataset {id: row.`id:ID(Dataset)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`name` = CASE WHEN row.`name:string` <> '' THEN row.`name:string` END,
      n.`aliases` = CASE WHEN row.`aliases:string[]` <> '' THEN split(row.`aliases:string[]`, ';') END,
      n.`papers` = toInteger(row.`papers:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_DatasetCard.csv' AS row
CALL (row) {
  MERGE (n:DatasetCard {id: row.`id:ID(DatasetCard)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`url` = CASE WHEN row.`url:string` <> '' THEN row.`url:string` END,
      n.`host` = CASE WHEN row.`host:string` <> '' THEN row.`host:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Method.csv' AS row
CALL (row) {
  MERGE (n:Method {id: row.`id:ID(Method)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`name` = CASE WHEN row.`name:string` <> '' THEN row.`name:string` END,
      n.`aliases` = CASE WHEN row.`aliases:string[]` <> '' THEN split(row.`aliases:string[]`, ';') END,
      n.`papers` = toInteger(row.`papers:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Metric.csv' AS row
CALL (row) {
  MERGE (n:Metric {id: row.`id:ID(Metric)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`name` = CASE WHEN row.`name:string` <> '' THEN row.`name:string` END,
      n.`aliases` = CASE WHEN row.`aliases:string[]` <> '' THEN split(row.`aliases:string[]`, ';') END,
      n.`papers` = toInteger(row.`papers:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_ModelCard.csv' AS row
CALL (row) {
  MERGE (n:ModelCard {id: row.`id:ID(ModelCard)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`url` = CASE WHEN row.`url:string` <> '' THEN row.`url:string` END,
      n.`host` = CASE WHEN row.`host:string` <> '' THEN row.`host:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Paper.csv' AS row
CALL (row) {
  MERGE (n:Paper {id: row.`id:ID(Paper)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`paper_id` = CASE WHEN row.`paper_id:string` <> '' THEN row.`paper_id:string` END,
      n.`title` = CASE WHEN row.`title:string` <> '' THEN row.`title:string` END,
      n.`abstract` = CASE WHEN row.`abstract:string` <> '' THEN row.`abstract:string` END,
      n.`listings` = CASE WHEN row.`listings:string[]` <> '' THEN split(row.`listings:string[]`, ';') END,
      n.`dates` = CASE WHEN row.`dates:string[]` <> '' THEN split(row.`dates:string[]`, ';') END,
      n.`authors` = CASE WHEN row.`authors:string[]` <> '' THEN split(row.`authors:string[]`, ';') END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_ProjectPage.csv' AS row
CALL (row) {
  MERGE (n:ProjectPage {id: row.`id:ID(ProjectPage)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`url` = CASE WHEN row.`url:string` <> '' THEN row.`url:string` END,
      n.`host` = CASE WHEN row.`host:string` <> '' THEN row.`host:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Repository.csv' AS row
CALL (row) {
  MERGE (n:Repository {id: row.`id:ID(Repository)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`url` = CASE WHEN row.`url:string` <> '' THEN row.`url:string` END,
      n.`host` = CASE WHEN row.`host:string` <> '' THEN row.`host:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Result.csv' AS row
CALL (row) {
  MERGE (n:Result {id: row.`id:ID(Result)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`value` = toFloat(row.`value:double`),
      n.`unit` = CASE WHEN row.`unit:string` <> '' THEN row.`unit:string` END,
      n.`delta` = toBoolean(row.`delta:boolean`),
      n.`subject` = CASE WHEN row.`subject:string` <> '' THEN row.`subject:string` END,
      n.`dataset` = CASE WHEN row.`dataset:string` <> '' THEN row.`dataset:string` END,
      n.`metric` = CASE WHEN row.`metric:string` <> '' THEN row.`metric:string` END,
      n.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      n.`start` = toInteger(row.`start:long`),
      n.`end` = toInteger(row.`end:long`),
      n.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      n.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Task.csv' AS row
CALL (row) {
  MERGE (n:Task {id: row.`id:ID(Task)`})
  SET n.`label` = CASE WHEN row.`label:string` <> '' THEN row.`label:string` END,
      n.`name` = CASE WHEN row.`name:string` <> '' THEN row.`name:string` END,
      n.`aliases` = CASE WHEN row.`aliases:string[]` <> '' THEN split(row.`aliases:string[]`, ';') END,
      n.`papers` = toInteger(row.`papers:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_addresses_Paper_Task.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Task {id: row.`:END_ID(Task)`})
  MERGE (a)-[r:addresses]->(b)
  SET r.`mentions` = toInteger(row.`mentions:long`),
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_buildsOn_Paper_Paper.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Paper {id: row.`:END_ID(Paper)`})
  MERGE (a)-[r:buildsOn]->(b)
  SET r.`via` = CASE WHEN row.`via:string[]` <> '' THEN split(row.`via:string[]`, ';') END,
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_evaluatedOn_Paper_Dataset.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Dataset {id: row.`:END_ID(Dataset)`})
  MERGE (a)-[r:evaluatedOn]->(b)
  SET r.`mentions` = toInteger(row.`mentions:long`),
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_forMetric_Result_Metric.csv' AS row
CALL (row) {
  MATCH (a:Result {id: row.`:START_ID(Result)`})
  MATCH (b:Metric {id: row.`:END_ID(Metric)`})
  MERGE (a)-[r:forMetric]->(b)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_hasCode_Paper_Repository.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Repository {id: row.`:END_ID(Repository)`})
  MERGE (a)-[r:hasCode]->(b)
  SET r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_hasDatasetCard_Paper_DatasetCard.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:DatasetCard {id: row.`:END_ID(DatasetCard)`})
  MERGE (a)-[r:hasDatasetCard]->(b)
  SET r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_hasModelCard_Paper_ModelCard.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:ModelCard {id: row.`:END_ID(ModelCard)`})
  MERGE (a)-[r:hasModelCard]->(b)
  SET r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_hasProjectPage_Paper_ProjectPage.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:ProjectPage {id: row.`:END_ID(ProjectPage)`})
  MERGE (a)-[r:hasProjectPage]->(b)
  SET r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_measuredBy_Paper_Metric.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Metric {id: row.`:END_ID(Metric)`})
  MERGE (a)-[r:measuredBy]->(b)
  SET r.`mentions` = toInteger(row.`mentions:long`),
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_ofMethod_Result_Method.csv' AS row
CALL (row) {
  MATCH (a:Result {id: row.`:START_ID(Result)`})
  MATCH (b:Method {id: row.`:END_ID(Method)`})
  MERGE (a)-[r:ofMethod]->(b)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_onDataset_Result_Dataset.csv' AS row
CALL (row) {
  MATCH (a:Result {id: row.`:START_ID(Result)`})
  MATCH (b:Dataset {id: row.`:END_ID(Dataset)`})
  MERGE (a)-[r:onDataset]->(b)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_outperforms_Method_Method.csv' AS row
CALL (row) {
  MATCH (a:Method {id: row.`:START_ID(Method)`})
  MATCH (b:Method {id: row.`:END_ID(Method)`})
  MERGE (a)-[r:outperforms]->(b)
  SET r.`papers` = CASE WHEN row.`papers:string[]` <> '' THEN split(row.`papers:string[]`, ';') END,
      r.`support` = toInteger(row.`support:long`)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_proposes_Paper_Dataset.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Dataset {id: row.`:END_ID(Dataset)`})
  MERGE (a)-[r:proposes]->(b)
  SET r.`mentions` = toInteger(row.`mentions:long`),
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_proposes_Paper_Method.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Method {id: row.`:END_ID(Method)`})
  MERGE (a)-[r:proposes]->(b)
  SET r.`mentions` = toInteger(row.`mentions:long`),
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_reports_Paper_Result.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Result {id: row.`:END_ID(Result)`})
  MERGE (a)-[r:reports]->(b)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_uses_Paper_Method.csv' AS row
CALL (row) {
  MATCH (a:Paper {id: row.`:START_ID(Paper)`})
  MATCH (b:Method {id: row.`:END_ID(Method)`})
  MERGE (a)-[r:uses]->(b)
  SET r.`mentions` = toInteger(row.`mentions:long`),
      r.`field` = CASE WHEN row.`field:string` <> '' THEN row.`field:string` END,
      r.`start` = toInteger(row.`start:long`),
      r.`end` = toInteger(row.`end:long`),
      r.`sentence` = CASE WHEN row.`sentence:string` <> '' THEN row.`sentence:string` END,
      r.`extractor` = CASE WHEN row.`extractor:string` <> '' THEN row.`extractor:string` END
} IN TRANSACTIONS OF 1000 ROWS;
