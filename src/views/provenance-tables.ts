/** Kysely table types of the provenance database's core tables (`tracker.db`). */
export interface ProvenanceTables {
  run: {
    id: string; kind: string; name: string; model: string | null; parent_run_id: string | null; status: string;
    year: number | null; iteration: number | null; tags: string[] | null; signature: string | null;
    code_hash: string | null; config_hash: string | null; input_hash: string | null; cache_hit: boolean;
    reused_run_id: string | null; config: string | null; facet: string | null; meta: string | null; error: string | null;
    started_at: Date; ended_at: Date | null; duration_ms: number | null;
  };
  artifact: {
    id: string; key: string; uri: string; driver: string; hash: string | null; size: number | null;
    run_id: string | null; schema_id: string | null; meta: string | null; created_at: Date;
  };
  run_artifact_link: { run_id: string; artifact_id: string; key: string; direction: string };
  run_config_kv: FacetKvTable & { run_id: string };
  artifact_kv: FacetKvTable & { artifact_id: string };
  ingestion: { artifact_id: string; table_name: string; row_count: number; ingested_at: Date };
  artifact_schema: { id: string; table_name: string | null; field_count: number; source: string | null; created_at: Date };
  artifact_schema_field: { schema_id: string; position: number; name: string; type: string; nullable: boolean };
}

/** Columns shared by the facet KV tables. */
export interface FacetKvTable {
  namespace: string; key: string; value_type: string; value_str: string | null; value_num: number | null;
  value_bool: boolean | null; value_json: string | null;
}
