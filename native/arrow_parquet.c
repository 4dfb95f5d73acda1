/*
 * consist_arrow_parquet: runs one SQL statement (a COPY … TO 'x.parquet') over Arrow record
 * batches that live in JS memory, through DuckDB's core Arrow scan (`duckdb_arrow_scan`, C API of
 * the libduckdb.so that @duckdb/node-bindings ships). The scan gives DuckDB batch indexes, so the
 * COPY encodes on every thread and keeps row order — which a table function cannot.
 *
 * Exports (see src/engine/native-parquet.ts):
 *   builtFor          the DuckDB version this file was compiled against (CONSIST_DUCKDB_BUILT_FOR,
 *                     set by binding.gyp from the library in @duckdb/node-bindings)
 *   libraryVersion()  duckdb_library_version() of the library loaded now; JS compares the two
 *   batchProgress     true: copyArrow takes the onBatch argument (older builds lack it)
 *   configure(opts)   the options ({ name: value } strings) its in-memory DuckDB opens with;
 *                     false once it is open (a second load in the same process)
 *   copyArrow(fields, batches, sql[, onBatch])
 * copyArrow's arguments:
 *   fields:  [{ name, format }]                    Arrow C data interface format strings
 *   batches: [{ length, columns: [{ nullCount, validity, data, offsets }] }]
 *            validity/data/offsets: typed arrays or null, all at offset 0
 *   sql:     the statement; the batches are the view `consist_arrow_src`
 *   onBatch: optional function told the row count of each batch as DuckDB takes it from the
 *            stream (Parquet-write progress); called on the JS thread through a thread-safe
 *            function, so calls may arrive after the Promise settled
 * and gets a Promise resolved when the statement ran (rejected with DuckDB's message).
 * The statement runs on a libuv worker thread; the typed arrays are referenced until it ends.
 */
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parts of duckdb.h used here (stable C API of DuckDB 1.x) ---- */
typedef uint64_t idx_t;
typedef enum { DuckDBSuccess = 0, DuckDBError = 1 } duckdb_state;
typedef struct _duckdb_database { void *internal_ptr; } * duckdb_database;
typedef struct _duckdb_connection { void *internal_ptr; } * duckdb_connection;
typedef struct _duckdb_arrow_stream { void *internal_ptr; } * duckdb_arrow_stream;
typedef struct {
  idx_t deprecated_column_count;
  idx_t deprecated_row_count;
  idx_t deprecated_rows_changed;
  void *deprecated_columns;
  char *deprecated_error_message;
  void *internal_data;
} duckdb_result;
typedef struct _duckdb_config { void *internal_ptr; } * duckdb_config;
const char *duckdb_library_version(void);
duckdb_state duckdb_create_config(duckdb_config *out_config);
duckdb_state duckdb_set_config(duckdb_config config, const char *name, const char *option);
void duckdb_destroy_config(duckdb_config *config);
duckdb_state duckdb_open_ext(const char *path, duckdb_database *out_database, duckdb_config config, char **out_error);
void duckdb_free(void *ptr);
duckdb_state duckdb_connect(duckdb_database database, duckdb_connection *out_connection);
void duckdb_disconnect(duckdb_connection *connection);
duckdb_state duckdb_query(duckdb_connection connection, const char *query, duckdb_result *out_result);
const char *duckdb_result_error(duckdb_result *result);
void duckdb_destroy_result(duckdb_result *result);
duckdb_state duckdb_arrow_scan(duckdb_connection connection, const char *table_name, duckdb_arrow_stream arrow);

/* ---- Arrow C data interface (https://arrow.apache.org/docs/format/CDataInterface.html) ---- */
struct ArrowSchema {
  const char *format; const char *name; const char *metadata; int64_t flags; int64_t n_children;
  struct ArrowSchema **children; struct ArrowSchema *dictionary; void (*release)(struct ArrowSchema *); void *private_data;
};
struct ArrowArray {
  int64_t length; int64_t null_count; int64_t offset; int64_t n_buffers; int64_t n_children; const void **buffers;
  struct ArrowArray **children; struct ArrowArray *dictionary; void (*release)(struct ArrowArray *); void *private_data;
};
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
  int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
  const char *(*get_last_error)(struct ArrowArrayStream *);
  void (*release)(struct ArrowArrayStream *);
  void *private_data;
};
#define ARROW_FLAG_NULLABLE 2

/* ---- one job: the batches' pointers, copied out of JS before the worker runs ---- */
typedef struct { int64_t null_count; const void *buffers[3]; int n_buffers; } Column;
typedef struct { int64_t length; Column *columns; } Batch;
typedef struct {
  int n_fields; char **names; char **formats;
  int n_batches; Batch *batches; int next_batch;
  char *sql; char *error;
  napi_ref *refs; int n_refs;
  napi_deferred deferred; napi_async_work work;
  napi_threadsafe_function on_batch; /* NULL without an onBatch callback */
} Job;

static duckdb_database shared_db = NULL;
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
/* configure()'s options, used when shared_db is opened (under db_lock) */
static char **option_names = NULL, **option_values = NULL;
static int n_options = 0;

/* Opens shared_db with the configured options; call with db_lock held. */
static void open_shared_db(void) {
  duckdb_config config = NULL;
  if (duckdb_create_config(&config) != DuckDBSuccess) return;
  for (int i = 0; i < n_options; i++) {
    if (duckdb_set_config(config, option_names[i], option_values[i]) != DuckDBSuccess) { duckdb_destroy_config(&config); return; }
  }
  char *error = NULL;
  if (duckdb_open_ext(NULL, &shared_db, config, &error) != DuckDBSuccess) shared_db = NULL;
  if (error) duckdb_free(error);
  duckdb_destroy_config(&config);
}

static void release_schema(struct ArrowSchema *s) {
  if (s->children) {
    for (int64_t i = 0; i < s->n_children; i++) free(s->children[i]);
    free(s->children);
  }
  s->release = NULL;
}

static int stream_get_schema(struct ArrowArrayStream *st, struct ArrowSchema *out) {
  Job *job = (Job *)st->private_data;
  memset(out, 0, sizeof *out);
  out->format = "+s"; out->name = ""; out->n_children = job->n_fields; out->release = release_schema;
  out->children = calloc((size_t)job->n_fields, sizeof(struct ArrowSchema *));
  if (!out->children) return 12; /* ENOMEM */
  for (int i = 0; i < job->n_fields; i++) {
    struct ArrowSchema *c = calloc(1, sizeof *c);
    if (!c) return 12;
    c->format = job->formats[i]; c->name = job->names[i]; c->flags = ARROW_FLAG_NULLABLE;
    c->release = release_schema;
    out->children[i] = c;
  }
  return 0;
}

typedef struct { struct ArrowArray *kids; struct ArrowArray **kid_ptrs; const void *parent_buffers[1]; } BatchArrays;

static void release_child(struct ArrowArray *a) { a->release = NULL; }

static void release_batch(struct ArrowArray *a) {
  BatchArrays *b = (BatchArrays *)a->private_data;
  if (b) { free(b->kids); free(b->kid_ptrs); free(b); }
  a->release = NULL;
}

static int stream_get_next(struct ArrowArrayStream *st, struct ArrowArray *out) {
  Job *job = (Job *)st->private_data;
  memset(out, 0, sizeof *out);
  if (job->next_batch >= job->n_batches) return 0; /* release == NULL: end of stream */
  Batch *batch = &job->batches[job->next_batch++];
  if (job->on_batch) napi_call_threadsafe_function(job->on_batch, (void *)(uintptr_t)batch->length, napi_tsfn_nonblocking);
  BatchArrays *b = calloc(1, sizeof *b);
  if (!b) return 12;
  b->kids = calloc((size_t)job->n_fields, sizeof(struct ArrowArray));
  b->kid_ptrs = calloc((size_t)job->n_fields, sizeof(struct ArrowArray *));
  if (!b->kids || !b->kid_ptrs) { free(b->kids); free(b->kid_ptrs); free(b); return 12; }
  for (int i = 0; i < job->n_fields; i++) {
    struct ArrowArray *k = &b->kids[i];
    Column *col = &batch->columns[i];
    k->length = batch->length; k->null_count = col->null_count; k->offset = 0;
    k->n_buffers = col->n_buffers; k->buffers = col->buffers; k->release = release_child;
    b->kid_ptrs[i] = k;
  }
  out->length = batch->length; out->n_buffers = 1; out->buffers = b->parent_buffers;
  out->n_children = job->n_fields; out->children = b->kid_ptrs; out->release = release_batch; out->private_data = b;
  return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *st) { return "consist arrow stream error"; }
static void stream_release(struct ArrowArrayStream *st) { st->release = NULL; }

static void set_error(Job *job, const char *message) {
  free(job->error);
  job->error = strdup(message ? message : "unknown DuckDB error");
}

static void execute(napi_env env, void *data) {
  Job *job = (Job *)data;
  pthread_mutex_lock(&db_lock);
  if (!shared_db) open_shared_db();
  duckdb_database db = shared_db;
  pthread_mutex_unlock(&db_lock);
  if (!db) { set_error(job, "could not open an in-memory DuckDB"); return; }
  duckdb_connection conn = NULL;
  if (duckdb_connect(db, &conn) != DuckDBSuccess) { set_error(job, "could not connect to the in-memory DuckDB"); return; }
  struct ArrowArrayStream stream = { stream_get_schema, stream_get_next, stream_last_error, stream_release, job };
  if (duckdb_arrow_scan(conn, "consist_arrow_src", (duckdb_arrow_stream)&stream) != DuckDBSuccess) {
    set_error(job, "DuckDB refused the Arrow stream");
  } else {
    duckdb_result result;
    memset(&result, 0, sizeof result);
    if (duckdb_query(conn, job->sql, &result) != DuckDBSuccess) set_error(job, duckdb_result_error(&result));
    duckdb_destroy_result(&result);
  }
  duckdb_disconnect(&conn);
}

static void free_job(napi_env env, Job *job) {
  for (int i = 0; i < job->n_refs; i++) if (job->refs[i]) napi_delete_reference(env, job->refs[i]);
  free(job->refs);
  for (int i = 0; i < job->n_fields; i++) { free(job->names ? job->names[i] : NULL); free(job->formats ? job->formats[i] : NULL); }
  free(job->names); free(job->formats);
  for (int b = 0; b < job->n_batches; b++) free(job->batches[b].columns);
  free(job->batches); free(job->sql); free(job->error);
  free(job);
}

static void complete(napi_env env, napi_status status, void *data) {
  Job *job = (Job *)data;
  if (status == napi_ok && !job->error) {
    napi_value undef;
    napi_get_undefined(env, &undef);
    napi_resolve_deferred(env, job->deferred, undef);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, job->error ? job->error : "the Arrow COPY was cancelled", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  napi_delete_async_work(env, job->work);
  if (job->on_batch) napi_release_threadsafe_function(job->on_batch, napi_tsfn_release);
  free_job(env, job);
}

/* Runs on the JS thread for each batch DuckDB took: onBatch(rows). Errors thrown by it are dropped. */
static void call_on_batch(napi_env env, napi_value js_cb, void *context, void *data) {
  if (!env || !js_cb) return;
  napi_value undef, rows, ignored;
  napi_get_undefined(env, &undef);
  napi_create_int64(env, (int64_t)(uintptr_t)data, &rows);
  if (napi_call_function(env, undef, js_cb, 1, &rows, &ignored) == napi_pending_exception) {
    napi_value exception;
    napi_get_and_clear_last_exception(env, &exception);
  }
}

/* A thread-safe function for the optional onBatch argument (NULL when it is not a function). */
static napi_threadsafe_function batch_callback(napi_env env, napi_value fn) {
  napi_valuetype t;
  napi_threadsafe_function tsfn = NULL;
  napi_value name;
  if (napi_typeof(env, fn, &t) != napi_ok || t != napi_function) return NULL;
  napi_create_string_utf8(env, "consist_arrow_copy_progress", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, fn, NULL, name, 0, 1, NULL, NULL, NULL, call_on_batch, &tsfn) != napi_ok) return NULL;
  return tsfn;
}

/* ---- argument reading ---- */
static char *get_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s && napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) { free(s); return NULL; }
  return s;
}

static napi_value get_prop(napi_env env, napi_value obj, const char *name) {
  napi_value v = NULL;
  napi_get_named_property(env, obj, name, &v);
  return v;
}

static int64_t get_int(napi_env env, napi_value v) {
  int64_t n = 0;
  napi_get_value_int64(env, v, &n);
  return n;
}

/* A typed array's data pointer (null/undefined → NULL); keeps a reference to it in the job. */
static int get_buffer(napi_env env, Job *job, napi_value v, const void **out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) { *out = NULL; return 1; }
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, v, NULL, NULL, &data, NULL, NULL) != napi_ok) return 0;
  if (napi_create_reference(env, v, 1, &job->refs[job->n_refs]) != napi_ok) return 0;
  job->n_refs++;
  *out = data;
  return 1;
}

static napi_value fail(napi_env env, Job *job, const char *message) {
  if (job) free_job(env, job);
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

/* copyArrow(fields, batches, sql[, onBatch]): Promise<void> */
static napi_value copy_arrow(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 3 && argc != 4) return fail(env, NULL, "copyArrow(fields, batches, sql[, onBatch]) takes three or four arguments");
  Job *job = calloc(1, sizeof *job);
  if (!job) return fail(env, NULL, "out of memory");
  uint32_t n_fields = 0, n_batches = 0;
  napi_get_array_length(env, argv[0], &n_fields);
  napi_get_array_length(env, argv[1], &n_batches);
  job->n_fields = (int)n_fields;
  job->names = calloc(n_fields ? n_fields : 1, sizeof(char *));
  job->formats = calloc(n_fields ? n_fields : 1, sizeof(char *));
  job->batches = calloc(n_batches ? n_batches : 1, sizeof(Batch));
  job->refs = calloc((size_t)n_batches * n_fields * 3 + 1, sizeof(napi_ref));
  job->sql = get_string(env, argv[2]);
  if (!job->names || !job->formats || !job->batches || !job->refs || !job->sql) return fail(env, job, "bad arguments to copyArrow");
  for (uint32_t i = 0; i < n_fields; i++) {
    napi_value f;
    napi_get_element(env, argv[0], i, &f);
    job->names[i] = get_string(env, get_prop(env, f, "name"));
    job->formats[i] = get_string(env, get_prop(env, f, "format"));
    if (!job->names[i] || !job->formats[i]) return fail(env, job, "every field needs a name and a format");
  }
  for (uint32_t b = 0; b < n_batches; b++) {
    napi_value batch, cols;
    napi_get_element(env, argv[1], b, &batch);
    Batch *out = &job->batches[b];
    job->n_batches = (int)b + 1;
    out->length = get_int(env, get_prop(env, batch, "length"));
    cols = get_prop(env, batch, "columns");
    out->columns = calloc(n_fields ? n_fields : 1, sizeof(Column));
    if (!out->columns) return fail(env, job, "out of memory");
    for (uint32_t i = 0; i < n_fields; i++) {
      napi_value col;
      napi_get_element(env, cols, i, &col);
      Column *c = &out->columns[i];
      c->null_count = get_int(env, get_prop(env, col, "nullCount"));
      const void *offsets = NULL;
      if (!get_buffer(env, job, get_prop(env, col, "validity"), &c->buffers[0]) ||
          !get_buffer(env, job, get_prop(env, col, "data"), &c->buffers[1]) ||
          !get_buffer(env, job, get_prop(env, col, "offsets"), &offsets)) {
        return fail(env, job, "column buffers must be typed arrays or null");
      }
      if (offsets) {  /* variable-size binary: [validity, offsets, data] */
        c->buffers[2] = c->buffers[1];
        c->buffers[1] = offsets;
        c->n_buffers = 3;
      } else {
        c->n_buffers = 2;
      }
    }
  }
  napi_value promise, name;
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok) return fail(env, job, "could not create a promise");
  napi_create_string_utf8(env, "consist_arrow_copy", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok) {
    return fail(env, job, "could not queue the Arrow COPY");
  }
  if (argc == 4) job->on_batch = batch_callback(env, argv[3]);
  if (napi_queue_async_work(env, job->work) != napi_ok) {
    if (job->on_batch) napi_release_threadsafe_function(job->on_batch, napi_tsfn_release);
    napi_delete_async_work(env, job->work);
    return fail(env, job, "could not queue the Arrow COPY");
  }
  return promise;
}

/* libraryVersion(): duckdb_library_version() of the loaded library */
static napi_value library_version(napi_env env, napi_callback_info info) {
  napi_value v;
  napi_create_string_utf8(env, duckdb_library_version(), NAPI_AUTO_LENGTH, &v);
  return v;
}

/* configure({ name: value, ... }): the options the in-memory DuckDB opens with. Returns false (and
 * changes nothing) once it is open: the options of its first open stay. */
static void free_options(char **names, char **values, int n) {
  for (int i = 0; i < n; i++) { free(names ? names[i] : NULL); free(values ? values[i] : NULL); }
  free(names); free(values);
}

static napi_value configure(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], keys, result;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint32_t n = 0;
  if (argc != 1 || napi_get_property_names(env, argv[0], &keys) != napi_ok || napi_get_array_length(env, keys, &n) != napi_ok) {
    return fail(env, NULL, "configure(options) takes one object of string options");
  }
  char **names = calloc(n ? n : 1, sizeof(char *)), **values = calloc(n ? n : 1, sizeof(char *));
  int ok = names && values;
  for (uint32_t i = 0; ok && i < n; i++) {
    napi_value key, value;
    napi_get_element(env, keys, i, &key);
    napi_get_property(env, argv[0], key, &value);
    names[i] = get_string(env, key);
    values[i] = get_string(env, value);
    ok = names[i] && values[i];
  }
  if (!ok) {
    free_options(names, values, (int)n);
    return fail(env, NULL, "configure(options): every option value must be a string");
  }
  pthread_mutex_lock(&db_lock);
  int applied = shared_db == NULL;
  if (applied) {
    free_options(option_names, option_values, n_options);
    option_names = names; option_values = values; n_options = (int)n;
  }
  pthread_mutex_unlock(&db_lock);
  if (!applied) free_options(names, values, (int)n);
  napi_get_boolean(env, applied, &result);
  return result;
}

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#ifndef CONSIST_DUCKDB_BUILT_FOR
#define CONSIST_DUCKDB_BUILT_FOR unknown
#endif

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, built_for;
  napi_create_function(env, "copyArrow", NAPI_AUTO_LENGTH, copy_arrow, NULL, &fn);
  napi_set_named_property(env, exports, "copyArrow", fn);
  napi_create_function(env, "libraryVersion", NAPI_AUTO_LENGTH, library_version, NULL, &fn);
  napi_set_named_property(env, exports, "libraryVersion", fn);
  napi_create_function(env, "configure", NAPI_AUTO_LENGTH, configure, NULL, &fn);
  napi_set_named_property(env, exports, "configure", fn);
  napi_create_string_utf8(env, STRINGIFY(CONSIST_DUCKDB_BUILT_FOR), NAPI_AUTO_LENGTH, &built_for);
  napi_set_named_property(env, exports, "builtFor", built_for);
  napi_value yes;
  napi_get_boolean(env, true, &yes);
  napi_set_named_property(env, exports, "batchProgress", yes); /* copyArrow takes onBatch */
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
