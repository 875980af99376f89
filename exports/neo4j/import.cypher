// Load the CSVs in this folder into a running Neo4j 5 server.
// Copy them to the server's import/ folder, then run this file with cypher-shell.

CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT method_id IF NOT EXISTS FOR (n:Method) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT metric_id IF NOT EXISTS FOR (n:Metric) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT projectpage_id IF NOT EXISTS FOR (n:ProjectPage) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT repository_id IF NOT EXISTS FOR (n:Repository) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Dataset.csv' AS row
CALL (row) { MERGE (n:Dataset {id: row.`id:ID`}) SET n.name = toString(row.`name:string`), n.aliases = split(row.`aliases:string[]`, ';'), n.papers = toInteger(row.`papers:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_Method.csv' AS row
CALL (row) { MERGE (n:Method {id: row.`id:ID`}) SET n.name = toString(row.`name:string`), n.aliases = split(row.`aliases:string[]`, ';'), n.papers = toInteger(row.`papers:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_Metric.csv' AS row
CALL (row) { MERGE (n:Metric {id: row.`id:ID`}) SET n.name = toString(row.`name:string`), n.aliases = split(row.`aliases:string[]`, ';'), n.papers = toInteger(row.`papers:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_Paper.csv' AS row
CALL (row) { MERGE (n:Paper {id: row.`id:ID`}) SET n.paper_id = toString(row.`paper_id:string`), n.title = toString(row.`title:string`), n.abstract = toString(row.`abstract:string`), n.published = toString(row.`published:string`), n.dates = split(row.`dates:string[]`, ';'), n.authors = split(row.`authors:string[]`, ';') } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_ProjectPage.csv' AS row
CALL (row) { MERGE (n:ProjectPage {id: row.`id:ID`}) SET n.url = toString(row.`url:string`), n.host = toString(row.`host:string`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_Repository.csv' AS row
CALL (row) { MERGE (n:Repository {id: row.`id:ID`}) SET n.url = toString(row.`url:string`), n.host = toString(row.`host:string`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_Result.csv' AS row
CALL (row) { MERGE (n:Result {id: row.`id:ID`}) SET n.value = toFloat(row.`value:double`), n.unit = toString(row.`unit:string`), n.subject = toString(row.`subject:string`), n.dataset = toString(row.`dataset:string`), n.metric = toString(row.`metric:string`), n.sentence = toString(row.`sentence:string`), n.field = toString(row.`field:string`), n.start = toInteger(row.`start:int`), n.end = toInteger(row.`end:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///nodes_Task.csv' AS row
CALL (row) { MERGE (n:Task {id: row.`id:ID`}) SET n.name = toString(row.`name:string`), n.aliases = split(row.`aliases:string[]`, ';'), n.papers = toInteger(row.`papers:int`) } IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_addresses.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:addresses]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_evaluatedOn.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:evaluatedOn]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_forMetric.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:forMetric]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_hasCode.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:hasCode]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_hasProjectPage.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:hasProjectPage]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_measuredBy.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:measuredBy]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_ofMethod.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:ofMethod]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_onDataset.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:onDataset]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_outperforms.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:outperforms]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_proposes.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:proposes]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_reports.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:reports]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
LOAD CSV WITH HEADERS FROM 'file:///rels_uses.csv' AS row
CALL (row) { MATCH (a {id: row.`:START_ID`}), (b {id: row.`:END_ID`}) MERGE (a)-[r:uses]->(b) SET r.mentions = toInteger(row.`mentions:int`) } IN TRANSACTIONS OF 1000 ROWS;
