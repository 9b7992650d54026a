/* hoga-sqlite-journal.c — the journal port on SQLite: one database file per profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Durability: WAL with synchronous=FULL, so a COMMIT returns only after the WAL is synced.
 * A call completes only after the transaction holding it has committed.
 *
 * Threads: the connection is opened and checked in the caller's thread, then handed to one
 * worker thread that alone uses it from then on. Calls become jobs on a GAsyncQueue, run in
 * submission order; consecutive writes share one transaction (one sync for the lot). Every
 * write is a single statement, so a failing one leaves the rest of its transaction intact,
 * except for the errors after which SQLite rolls the whole transaction back; then every job
 * of the batch fails. Results go back to the caller's main context through an idle source
 * per job, attached in order: GTask callbacks therefore run in submission order, and tasks
 * are only ever released there, never on the worker.
 *
 * Locking: locking_mode=EXCLUSIVE keeps the file locked while it is open, so a second Hoga
 * on the same profile cannot journal (and send) behind the first one's back; it also keeps
 * the WAL index in memory, so no -shm file is needed.
 */
#define G_LOG_DOMAIN "hoga-journal"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hoga-krx.h"
#include "hoga-sqlite-journal.h"

/* Bounds the wait of the first job of a batch behind the others. */
#define MAX_BATCH 256

#define SQLITE_MAGIC "SQLite format 3"

typedef enum {
  STMT_BEGIN_WRITE,
  STMT_BEGIN_READ,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_INSERT_ORDER,
  STMT_UPDATE_ORDER,
  STMT_INSERT_FILL,
  STMT_SAVE_POSITION,
  STMT_REMOVE_POSITION,
  STMT_SAVE_DAILY,
  STMT_INSERT_AUDIT,
  STMT_OPEN_ORDERS,
  STMT_OPEN_FILLS,
  STMT_POSITIONS,
  STMT_DAILY,
  STMT_BOUGHT_TODAY,
  STMT_COSTS_TODAY,
  N_STMTS
} StmtId;

/* The writes come first: job_is_write() relies on it. */
typedef enum {
  JOB_RECORD_ORDER,
  JOB_UPDATE_ORDER,
  JOB_RECORD_FILL,
  JOB_SAVE_POSITION,
  JOB_REMOVE_POSITION,
  JOB_SAVE_DAILY,
  JOB_APPEND_AUDIT,
  JOB_LOAD,
  JOB_CLOSE,
  JOB_STOP,                    /* from finalize: leave the thread */
} JobKind;

typedef struct {
  JobKind  kind;
  GTask   *task;               /* held until completion; NULL for JOB_STOP */
  union {
    HogaOrderRecord    order;
    HogaFillRecord     fill;
    HogaPositionRecord position;
    HogaDailyRecord    daily;
    HogaAuditRecord    audit;
    char               code[HOGA_CODE_SIZE];
    guint32            today;
  } in;
  GError              *error;
  gint64               id;
  gboolean             is_new;
  HogaJournalSnapshot *snapshot;
} Job;

/* The queue is shared; the rest belongs to the worker thread while it runs, and to the
 * object before it starts and after it is joined. */
typedef struct {
  sqlite3      *db;            /* NULL once closed */
  sqlite3_stmt *stmts[N_STMTS];  /* prepared once, reused */
  GAsyncQueue  *queue;         /* Job */
} Worker;

struct _HogaSqliteJournal
{
  GObject  parent_instance;

  char    *path;
  char    *debug_info;
  Worker  *worker;
  GThread *thread;
};

static void hoga_sqlite_journal_initable_iface_init (GInitableIface       *iface);
static void hoga_sqlite_journal_journal_iface_init  (HogaJournalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaSqliteJournal, hoga_sqlite_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      hoga_sqlite_journal_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (HOGA_TYPE_JOURNAL,
                                                      hoga_sqlite_journal_journal_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Schema version N is reached by running migrations[N - 1] on version N - 1. Append steps;
 * never edit one that has shipped. */
static const char * const migrations[] = {
  /* 1: create. Enumerations are stored by name so the file reads well in sqlite3(1).
   * Fills do not reference orders: a fill of an order placed outside Hoga (HTS, phone) is
   * still an execution of this account and must be kept. */
  "CREATE TABLE orders ("
  "  id            INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  side          TEXT NOT NULL CHECK (side IN ('buy', 'sell')),"
  "  code          TEXT NOT NULL,"
  "  qty           INTEGER NOT NULL,"
  "  price         INTEGER NOT NULL,"
  "  type          TEXT NOT NULL CHECK (type IN ('limit', 'market')),"
  "  venue         TEXT NOT NULL CHECK (venue IN ('KRX', 'NXT', 'SOR')),"
  "  reason        TEXT NOT NULL,"
  "  created_at    INTEGER NOT NULL,"
  "  state         TEXT NOT NULL CHECK (state IN ('PENDING', 'SENT', 'ACCEPTED', 'PARTIAL',"
  "                                              'FILLED', 'CANCELLED', 'REJECTED',"
  "                                              'UNKNOWN')),"
  "  ord_no        TEXT NOT NULL,"
  "  orig_ord_no   TEXT NOT NULL,"
  "  root_ord_no   TEXT NOT NULL,"
  "  filled_qty    INTEGER NOT NULL,"
  "  filled_amount INTEGER NOT NULL,"
  "  error         TEXT NOT NULL,"
  "  updated_at    INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX orders_open ON orders (id)"
  "  WHERE state NOT IN ('FILLED', 'CANCELLED', 'REJECTED');"
  "CREATE TABLE fills ("
  "  id        INTEGER PRIMARY KEY,"
  "  ord_no    TEXT NOT NULL,"
  "  fill_no   TEXT NOT NULL,"
  "  qty       INTEGER NOT NULL,"
  "  price     INTEGER NOT NULL,"
  "  filled_at INTEGER NOT NULL,"
  "  UNIQUE (ord_no, fill_no)"
  ") STRICT;"
  "CREATE TABLE positions ("
  "  code         TEXT PRIMARY KEY,"
  "  name         TEXT NOT NULL,"
  "  qty          INTEGER NOT NULL,"
  "  avg_cost     INTEGER NOT NULL,"
  "  entry_filled INTEGER NOT NULL,"
  "  peak         INTEGER NOT NULL,"
  "  stop         INTEGER NOT NULL,"
  "  armed        INTEGER NOT NULL,"
  "  state        TEXT NOT NULL,"
  "  exit_reason  TEXT NOT NULL,"
  "  entered_at   INTEGER NOT NULL,"
  "  external     INTEGER NOT NULL,"
  "  updated_at   INTEGER NOT NULL"
  ") STRICT, WITHOUT ROWID;"
  "CREATE TABLE daily ("
  "  date         INTEGER PRIMARY KEY,"
  "  start_equity INTEGER NOT NULL,"
  "  realized_pnl INTEGER NOT NULL,"
  "  buy_count    INTEGER NOT NULL,"
  "  kill_tier    INTEGER NOT NULL CHECK (kill_tier BETWEEN 0 AND 3),"
  "  updated_at   INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE audit ("
  "  id      INTEGER PRIMARY KEY,"
  "  time    INTEGER NOT NULL,"
  "  level   TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),"
  "  kind    TEXT NOT NULL,"
  "  code    TEXT NOT NULL,"
  "  message TEXT NOT NULL"
  ") STRICT;",
  /* 2: the broker's commission and tax per order (FIDs 938/939), running totals, so the
   * day's realized P&L can be net of them; orders journaled before know none. */
  "ALTER TABLE orders ADD COLUMN fee INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE orders ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;",
};

#define ORDER_COLUMNS \
  "side, code, qty, price, type, venue, reason, created_at, " \
  "state, ord_no, orig_ord_no, root_ord_no, filled_qty, filled_amount, error, updated_at, " \
  "fee, tax"

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN_WRITE] = "BEGIN IMMEDIATE",
  [STMT_BEGIN_READ] = "BEGIN",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_INSERT_ORDER] =
    "INSERT INTO orders (" ORDER_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
  [STMT_UPDATE_ORDER] =
    "UPDATE orders SET state = ?9, ord_no = ?10, orig_ord_no = ?11, root_ord_no = ?12, "
    "filled_qty = ?13, filled_amount = ?14, error = ?15, updated_at = ?16, fee = ?17, "
    "tax = ?18 WHERE id = ?19",
  [STMT_INSERT_FILL] =
    "INSERT INTO fills (ord_no, fill_no, qty, price, filled_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (ord_no, fill_no) DO NOTHING",
  [STMT_SAVE_POSITION] =
    "INSERT INTO positions (code, name, qty, avg_cost, entry_filled, peak, stop, armed, state, "
    "exit_reason, entered_at, external, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, qty = excluded.qty, "
    "avg_cost = excluded.avg_cost, entry_filled = excluded.entry_filled, "
    "peak = excluded.peak, stop = excluded.stop, armed = excluded.armed, "
    "state = excluded.state, exit_reason = excluded.exit_reason, "
    "entered_at = excluded.entered_at, external = excluded.external, "
    "updated_at = excluded.updated_at",
  [STMT_REMOVE_POSITION] = "DELETE FROM positions WHERE code = ?1",
  [STMT_SAVE_DAILY] =
    "INSERT INTO daily (date, start_equity, realized_pnl, buy_count, kill_tier, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (date) DO UPDATE SET start_equity = excluded.start_equity, "
    "realized_pnl = excluded.realized_pnl, buy_count = excluded.buy_count, "
    "kill_tier = excluded.kill_tier, updated_at = excluded.updated_at",
  [STMT_INSERT_AUDIT] =
    "INSERT INTO audit (time, level, kind, code, message) VALUES (?1, ?2, ?3, ?4, ?5)",
  /* The terminal states of hoga_order_state_is_terminal(), as in the orders_open index. */
  [STMT_OPEN_ORDERS] =
    "SELECT id, " ORDER_COLUMNS " FROM orders "
    "WHERE state NOT IN ('FILLED', 'CANCELLED', 'REJECTED') ORDER BY id",
  [STMT_OPEN_FILLS] =
    "SELECT ord_no, fill_no, qty, price, filled_at FROM fills WHERE ord_no IN "
    "(SELECT ord_no FROM orders WHERE ord_no <> '' "
    " AND state NOT IN ('FILLED', 'CANCELLED', 'REJECTED')) ORDER BY id",
  [STMT_POSITIONS] =
    "SELECT code, name, qty, avg_cost, entry_filled, peak, stop, armed, state, exit_reason, "
    "entered_at, external, updated_at FROM positions ORDER BY code",
  [STMT_DAILY] =
    "SELECT date, start_equity, realized_pnl, buy_count, kill_tier, updated_at FROM daily "
    "WHERE date = ?1",
  [STMT_BOUGHT_TODAY] =
    "SELECT DISTINCT code FROM orders WHERE side = 'buy' AND filled_qty > 0 "
    "AND created_at >= ?1 AND created_at < ?2 ORDER BY code",
  [STMT_COSTS_TODAY] =
    "SELECT coalesce (sum (fee + tax), 0) FROM orders "
    "WHERE created_at >= ?1 AND created_at < ?2",
};

static const char * const side_names[] = {
  [HOGA_SIDE_SELL] = "sell",
  [HOGA_SIDE_BUY] = "buy",
};

static const char * const type_names[] = {
  [HOGA_ORDER_TYPE_LIMIT] = "limit",
  [HOGA_ORDER_TYPE_MARKET] = "market",
};

static const char * const venue_names[] = {
  [HOGA_VENUE_KRX] = "KRX",
  [HOGA_VENUE_NXT] = "NXT",
  [HOGA_VENUE_SOR] = "SOR",
};

static const char * const level_names[] = {
  [HOGA_AUDIT_INFO] = "info",
  [HOGA_AUDIT_WARNING] = "warning",
  [HOGA_AUDIT_ERROR] = "error",
};

static void
job_free (Job *job)
{
  g_assert (job->task == NULL);
  g_clear_error (&job->error);
  g_clear_pointer (&job->snapshot, hoga_journal_snapshot_free);
  g_free (job);
}

static gboolean
job_is_write (const Job *job)
{
  return job->kind <= JOB_APPEND_AUDIT;
}

static HogaJournalError
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return HOGA_JOURNAL_ERROR_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return HOGA_JOURNAL_ERROR_CORRUPT;
    default:
      return HOGA_JOURNAL_ERROR_FAILED;
    }
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *what)
{
  /* The connection's message is about its last call; fall back to the code's text. */
  const char *message = db != NULL && sqlite3_extended_errcode (db) == rc
                        ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  g_set_error (error, HOGA_JOURNAL_ERROR, error_code_for (rc),
               "%s: %s (SQLite %d)", what, message, rc);
}

/* The valid UTF-8 prefix of a fixed-size field: it may have been filled by a cut copy. */
static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text,
           gsize         size)
{
  const char *end;

  g_utf8_validate (text, strnlen (text, size), &end);
  sqlite3_bind_text (stmt, index, text, end - text, SQLITE_STATIC);
}

static void
bind_name (sqlite3_stmt       *stmt,
           int                 index,
           const char * const *names,
           guint               n_names,
           guint               value)
{
  /* An invalid value binds NULL, which the NOT NULL constraint turns into a job error. */
  if (value < n_names && names[value] != NULL)
    sqlite3_bind_text (stmt, index, names[value], -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

#define BIND_TEXT(stmt, index, field) bind_text (stmt, index, field, sizeof field)
#define BIND_NAME(stmt, index, names, value) \
  bind_name (stmt, index, names, G_N_ELEMENTS (names), (guint)(value))

static void
column_text (sqlite3_stmt *stmt,
             int           column,
             char         *out,
             gsize         size)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);
  gsize length = MIN ((gsize)sqlite3_column_bytes (stmt, column), size - 1);
  const char *end;

  if (text != NULL)
    memcpy (out, text, length);
  else
    length = 0;
  g_utf8_validate (out, length, &end);
  out[end - out] = '\0';
}

#define COLUMN_TEXT(stmt, column, field) column_text (stmt, column, field, sizeof field)

static gboolean
column_name (sqlite3_stmt       *stmt,
             int                 column,
             const char * const *names,
             guint               n_names,
             int                *value,
             GError            **error)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  for (guint i = 0; text != NULL && i < n_names; i++)
    {
      if (names[i] != NULL && strcmp (text, names[i]) == 0)
        {
          *value = (int)i;
          return TRUE;
        }
    }
  g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CORRUPT,
               "unexpected value “%s” in column %s", text ? text : "NULL",
               sqlite3_column_name (stmt, column));
  return FALSE;
}

#define COLUMN_NAME(stmt, column, names, value, error) \
  column_name (stmt, column, names, G_N_ELEMENTS (names), value, error)

/* Steps a statement that returns no rows, and resets it for its next use. */
static gboolean
run_stmt (Worker  *worker,
          StmtId   id,
          GError **error)
{
  sqlite3_stmt *stmt = worker->stmts[id];
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    set_sqlite_error (error, worker->db, rc, "journal");
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE;
}

static void
bind_order (sqlite3_stmt          *stmt,
            const HogaOrderRecord *order)
{
  BIND_NAME (stmt, 1, side_names, order->side);
  BIND_TEXT (stmt, 2, order->code);
  sqlite3_bind_int64 (stmt, 3, order->qty);
  sqlite3_bind_int64 (stmt, 4, order->price);
  BIND_NAME (stmt, 5, type_names, order->type);
  BIND_NAME (stmt, 6, venue_names, order->venue);
  BIND_TEXT (stmt, 7, order->reason);
  sqlite3_bind_int64 (stmt, 8, order->created_at);
}

static void
bind_order_mutable (sqlite3_stmt          *stmt,
                    const HogaOrderRecord *order)
{
  if ((guint)order->state <= HOGA_ORDER_STATE_UNKNOWN)
    sqlite3_bind_text (stmt, 9, hoga_order_state_to_string (order->state), -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 9);
  BIND_TEXT (stmt, 10, order->ord_no);
  BIND_TEXT (stmt, 11, order->orig_ord_no);
  BIND_TEXT (stmt, 12, order->root_ord_no);
  sqlite3_bind_int64 (stmt, 13, order->filled_qty);
  sqlite3_bind_int64 (stmt, 14, order->filled_amount);
  BIND_TEXT (stmt, 15, order->error);
  sqlite3_bind_int64 (stmt, 16, order->updated_at);
  sqlite3_bind_int64 (stmt, 17, order->fee);
  sqlite3_bind_int64 (stmt, 18, order->tax);
}

static gboolean
run_write (Worker  *worker,
           Job     *job,
           GError **error)
{
  sqlite3_stmt *stmt;

  switch (job->kind)
    {
    case JOB_RECORD_ORDER:
      stmt = worker->stmts[STMT_INSERT_ORDER];
      bind_order (stmt, &job->in.order);
      bind_order_mutable (stmt, &job->in.order);
      if (!run_stmt (worker, STMT_INSERT_ORDER, error))
        return FALSE;
      job->id = sqlite3_last_insert_rowid (worker->db);
      return TRUE;

    case JOB_UPDATE_ORDER:
      stmt = worker->stmts[STMT_UPDATE_ORDER];
      bind_order_mutable (stmt, &job->in.order);
      sqlite3_bind_int64 (stmt, 19, job->in.order.id);
      if (!run_stmt (worker, STMT_UPDATE_ORDER, error))
        return FALSE;
      if (sqlite3_changes (worker->db) == 0)
        {
          g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_NOT_FOUND,
                       "the journal holds no order %" G_GINT64_FORMAT, job->in.order.id);
          return FALSE;
        }
      return TRUE;

    case JOB_RECORD_FILL:
      stmt = worker->stmts[STMT_INSERT_FILL];
      BIND_TEXT (stmt, 1, job->in.fill.ord_no);
      BIND_TEXT (stmt, 2, job->in.fill.fill_no);
      sqlite3_bind_int64 (stmt, 3, job->in.fill.qty);
      sqlite3_bind_int64 (stmt, 4, job->in.fill.price);
      sqlite3_bind_int64 (stmt, 5, job->in.fill.filled_at);
      if (!run_stmt (worker, STMT_INSERT_FILL, error))
        return FALSE;
      job->is_new = sqlite3_changes (worker->db) == 1;
      return TRUE;

    case JOB_SAVE_POSITION:
      stmt = worker->stmts[STMT_SAVE_POSITION];
      BIND_TEXT (stmt, 1, job->in.position.code);
      BIND_TEXT (stmt, 2, job->in.position.name);
      sqlite3_bind_int64 (stmt, 3, job->in.position.qty);
      sqlite3_bind_int64 (stmt, 4, job->in.position.exit.avg_cost);
      sqlite3_bind_int (stmt, 5, !!job->in.position.exit.entry_filled);
      sqlite3_bind_int64 (stmt, 6, job->in.position.exit.peak);
      sqlite3_bind_int64 (stmt, 7, job->in.position.exit.stop);
      sqlite3_bind_int (stmt, 8, !!job->in.position.exit.armed);
      BIND_TEXT (stmt, 9, job->in.position.state);
      BIND_TEXT (stmt, 10, job->in.position.exit_reason);
      sqlite3_bind_int64 (stmt, 11, job->in.position.entered_at);
      sqlite3_bind_int (stmt, 12, !!job->in.position.external);
      sqlite3_bind_int64 (stmt, 13, job->in.position.updated_at);
      return run_stmt (worker, STMT_SAVE_POSITION, error);

    case JOB_REMOVE_POSITION:
      BIND_TEXT (worker->stmts[STMT_REMOVE_POSITION], 1, job->in.code);
      return run_stmt (worker, STMT_REMOVE_POSITION, error);

    case JOB_SAVE_DAILY:
      stmt = worker->stmts[STMT_SAVE_DAILY];
      sqlite3_bind_int64 (stmt, 1, job->in.daily.date);
      sqlite3_bind_int64 (stmt, 2, job->in.daily.start_equity);
      sqlite3_bind_int64 (stmt, 3, job->in.daily.realized_pnl);
      sqlite3_bind_int (stmt, 4, job->in.daily.buy_count);
      sqlite3_bind_int (stmt, 5, job->in.daily.kill_tier);
      sqlite3_bind_int64 (stmt, 6, job->in.daily.updated_at);
      return run_stmt (worker, STMT_SAVE_DAILY, error);

    case JOB_APPEND_AUDIT:
      stmt = worker->stmts[STMT_INSERT_AUDIT];
      sqlite3_bind_int64 (stmt, 1, job->in.audit.time);
      BIND_NAME (stmt, 2, level_names, job->in.audit.level);
      BIND_TEXT (stmt, 3, job->in.audit.kind);
      BIND_TEXT (stmt, 4, job->in.audit.code);
      BIND_TEXT (stmt, 5, job->in.audit.message);
      return run_stmt (worker, STMT_INSERT_AUDIT, error);

    case JOB_LOAD:
    case JOB_CLOSE:
    case JOB_STOP:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
read_order (sqlite3_stmt     *stmt,
            HogaOrderRecord  *order,
            GError          **error)
{
  const char *state = (const char *)sqlite3_column_text (stmt, 9);
  int side, type, venue;

  if (!COLUMN_NAME (stmt, 1, side_names, &side, error)
      || !COLUMN_NAME (stmt, 5, type_names, &type, error)
      || !COLUMN_NAME (stmt, 6, venue_names, &venue, error))
    return FALSE;
  if (!hoga_order_state_from_string (state, &order->state))
    {
      g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CORRUPT,
                   "unexpected order state “%s”", state ? state : "NULL");
      return FALSE;
    }

  order->id = sqlite3_column_int64 (stmt, 0);
  order->side = side;
  COLUMN_TEXT (stmt, 2, order->code);
  order->qty = sqlite3_column_int64 (stmt, 3);
  order->price = sqlite3_column_int64 (stmt, 4);
  order->type = type;
  order->venue = venue;
  COLUMN_TEXT (stmt, 7, order->reason);
  order->created_at = sqlite3_column_int64 (stmt, 8);
  COLUMN_TEXT (stmt, 10, order->ord_no);
  COLUMN_TEXT (stmt, 11, order->orig_ord_no);
  COLUMN_TEXT (stmt, 12, order->root_ord_no);
  order->filled_qty = sqlite3_column_int64 (stmt, 13);
  order->filled_amount = sqlite3_column_int64 (stmt, 14);
  COLUMN_TEXT (stmt, 15, order->error);
  order->updated_at = sqlite3_column_int64 (stmt, 16);
  order->fee = sqlite3_column_int64 (stmt, 17);
  order->tax = sqlite3_column_int64 (stmt, 18);
  return TRUE;
}

static void
read_fill (sqlite3_stmt   *stmt,
           HogaFillRecord *fill)
{
  COLUMN_TEXT (stmt, 0, fill->ord_no);
  COLUMN_TEXT (stmt, 1, fill->fill_no);
  fill->qty = sqlite3_column_int64 (stmt, 2);
  fill->price = sqlite3_column_int64 (stmt, 3);
  fill->filled_at = sqlite3_column_int64 (stmt, 4);
}

static void
read_position (sqlite3_stmt       *stmt,
               HogaPositionRecord *position)
{
  COLUMN_TEXT (stmt, 0, position->code);
  COLUMN_TEXT (stmt, 1, position->name);
  position->qty = sqlite3_column_int64 (stmt, 2);
  position->exit.avg_cost = sqlite3_column_int64 (stmt, 3);
  position->exit.entry_filled = sqlite3_column_int (stmt, 4) != 0;
  position->exit.peak = sqlite3_column_int64 (stmt, 5);
  position->exit.stop = sqlite3_column_int64 (stmt, 6);
  position->exit.armed = sqlite3_column_int (stmt, 7) != 0;
  COLUMN_TEXT (stmt, 8, position->state);
  COLUMN_TEXT (stmt, 9, position->exit_reason);
  position->entered_at = sqlite3_column_int64 (stmt, 10);
  position->external = sqlite3_column_int (stmt, 11) != 0;
  position->updated_at = sqlite3_column_int64 (stmt, 12);
}

static void
read_daily (sqlite3_stmt    *stmt,
            HogaDailyRecord *daily)
{
  daily->date = (guint32)sqlite3_column_int64 (stmt, 0);
  daily->start_equity = sqlite3_column_int64 (stmt, 1);
  daily->realized_pnl = sqlite3_column_int64 (stmt, 2);
  daily->buy_count = sqlite3_column_int (stmt, 3);
  daily->kill_tier = (HogaKillTier)sqlite3_column_int (stmt, 4);
  daily->updated_at = sqlite3_column_int64 (stmt, 5);
}

/* Runs one SELECT of the load, adding each row to @snapshot. */
static gboolean
load_rows (Worker              *worker,
           StmtId               id,
           HogaJournalSnapshot *snapshot,
           GError             **error)
{
  sqlite3_stmt *stmt = worker->stmts[id];
  gboolean ok = TRUE;
  int rc;

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HogaOrderRecord order = { 0 };
      HogaFillRecord fill = { 0 };
      HogaPositionRecord position = { 0 };

      switch (id)
        {
        case STMT_OPEN_ORDERS:
          ok = read_order (stmt, &order, error);
          if (ok)
            g_array_append_val (snapshot->orders, order);
          break;
        case STMT_OPEN_FILLS:
          read_fill (stmt, &fill);
          g_array_append_val (snapshot->fills, fill);
          break;
        case STMT_POSITIONS:
          read_position (stmt, &position);
          g_array_append_val (snapshot->positions, position);
          break;
        case STMT_DAILY:
          read_daily (stmt, &snapshot->daily);
          snapshot->has_daily = TRUE;
          break;
        case STMT_BOUGHT_TODAY:
          g_ptr_array_add (snapshot->bought_today,
                           g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
          break;
        case STMT_COSTS_TODAY:
          snapshot->costs_today = sqlite3_column_int64 (stmt, 0);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (ok && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, worker->db, rc, "journal");
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

/* Binds ?1 and ?2 to the start and end (µs since the epoch) of @yyyymmdd in KST: order
 * times are stamped on the engine's clock, whose days are Seoul's. */
static void
bind_day_bounds (sqlite3_stmt *stmt,
                 guint32       yyyymmdd)
{
  g_autoptr(GDateTime) start = g_date_time_new (hoga_krx_time_zone (), yyyymmdd / 10000,
                                                yyyymmdd / 100 % 100, yyyymmdd % 100,
                                                0, 0, 0);
  gint64 start_us = start != NULL ? g_date_time_to_unix (start) * G_USEC_PER_SEC : 0;

  sqlite3_bind_int64 (stmt, 1, start_us);
  sqlite3_bind_int64 (stmt, 2, start != NULL ? start_us + G_TIME_SPAN_DAY : 0);
}

static void
run_load (Worker *worker,
          Job    *job)
{
  g_autoptr(HogaJournalSnapshot) snapshot = g_new0 (HogaJournalSnapshot, 1);
  gboolean ok;

  snapshot->orders = g_array_new (FALSE, TRUE, sizeof (HogaOrderRecord));
  snapshot->fills = g_array_new (FALSE, TRUE, sizeof (HogaFillRecord));
  snapshot->positions = g_array_new (FALSE, TRUE, sizeof (HogaPositionRecord));
  snapshot->bought_today = g_ptr_array_new_with_free_func (g_free);

  /* One read transaction, so the orders and their fills are from the same instant. */
  if (!run_stmt (worker, STMT_BEGIN_READ, &job->error))
    return;
  sqlite3_bind_int64 (worker->stmts[STMT_DAILY], 1, job->in.today);
  bind_day_bounds (worker->stmts[STMT_BOUGHT_TODAY], job->in.today);
  bind_day_bounds (worker->stmts[STMT_COSTS_TODAY], job->in.today);
  ok = load_rows (worker, STMT_OPEN_ORDERS, snapshot, &job->error)
       && load_rows (worker, STMT_OPEN_FILLS, snapshot, &job->error)
       && load_rows (worker, STMT_POSITIONS, snapshot, &job->error)
       && load_rows (worker, STMT_DAILY, snapshot, &job->error)
       && load_rows (worker, STMT_BOUGHT_TODAY, snapshot, &job->error)
       && load_rows (worker, STMT_COSTS_TODAY, snapshot, &job->error);
  run_stmt (worker, ok ? STMT_COMMIT : STMT_ROLLBACK, ok ? &job->error : NULL);
  if (job->error == NULL)
    job->snapshot = g_steal_pointer (&snapshot);
}

static gboolean
job_complete_cb (gpointer data)
{
  Job *job = data;
  g_autoptr(GTask) task = g_steal_pointer (&job->task);

  /* @job belongs to @task from here: it goes when the task does. */
  if (job->error != NULL)
    g_task_return_error (task, g_steal_pointer (&job->error));
  else if (job->kind == JOB_LOAD)
    g_task_return_pointer (task, g_steal_pointer (&job->snapshot),
                           (GDestroyNotify)hoga_journal_snapshot_free);
  else
    g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

/* Called on the worker: hands @job back to the main context its task was made in. */
static void
job_complete (Job *job)
{
  GSource *source = g_idle_source_new ();

  /* The priority GTask itself uses, so results do not overtake each other. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[hoga] journal completion");
  g_source_set_callback (source, job_complete_cb, job, NULL);
  g_source_attach (source, g_task_get_context (job->task));
  g_source_unref (source);
}

/* Runs @first and the writes queued right behind it in one transaction, then completes
 * them. Returns the job that ended the batch without being run, if any. */
static Job *
run_batch (Worker *worker,
           Job    *first)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Job *next = NULL;

  if (!run_stmt (worker, STMT_BEGIN_WRITE, &first->error))
    {
      job_complete (first);
      return NULL;
    }

  for (Job *job = first; job != NULL; )
    {
      g_ptr_array_add (batch, job);
      if (!run_write (worker, job, &job->error) && sqlite3_get_autocommit (worker->db))
        break;
      if (batch->len == MAX_BATCH)
        break;
      job = g_async_queue_try_pop (worker->queue);
      if (job != NULL && !job_is_write (job))
        {
          next = job;
          break;
        }
    }

  if (sqlite3_get_autocommit (worker->db))
    g_set_error (&error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_FAILED,
                 "the transaction was rolled back by an error");
  else if (!run_stmt (worker, STMT_COMMIT, &error))
    run_stmt (worker, STMT_ROLLBACK, NULL);

  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      if (error != NULL && job->error == NULL)
        job->error = g_error_copy (error);
      job_complete (job);
    }

  return next;
}

static void
worker_close_db (Worker  *worker,
                 GError **error)
{
  int rc;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&worker->stmts[i], sqlite3_finalize);
  /* Checkpoints the WAL into the database and removes it. */
  rc = sqlite3_close (worker->db);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, worker->db, rc, "close");
      sqlite3_close_v2 (worker->db);
    }
  worker->db = NULL;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Job *next = NULL;

  for (;;)
    {
      Job *job = next != NULL ? g_steal_pointer (&next) : g_async_queue_pop (worker->queue);

      if (job->kind == JOB_STOP)
        {
          job_free (job);
          break;
        }

      if (worker->db == NULL)
        {
          g_set_error (&job->error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CLOSED,
                       "the journal is closed");
          job_complete (job);
        }
      else if (job_is_write (job))
        {
          next = run_batch (worker, job);
        }
      else if (job->kind == JOB_LOAD)
        {
          run_load (worker, job);
          job_complete (job);
        }
      else
        {
          worker_close_db (worker, &job->error);
          job_complete (job);
        }
    }

  if (worker->db != NULL)
    worker_close_db (worker, NULL);
  return NULL;
}

static Job *
job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  return job;
}

static void
submit (HogaSqliteJournal   *self,
        Job                 *job,
        gpointer             source_tag,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  job->task = g_steal_pointer (&task);
  g_async_queue_push (self->worker->queue, job);
}

static void
stamp (gint64 *time)
{
  if (*time == 0)
    *time = g_get_real_time ();
}

static void
hoga_sqlite_journal_record_order_async (HogaJournal           *journal,
                                        const HogaOrderRecord *order,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  Job *job = job_new (JOB_RECORD_ORDER);

  job->in.order = *order;
  stamp (&job->in.order.created_at);
  if (job->in.order.updated_at == 0)
    job->in.order.updated_at = job->in.order.created_at;
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_record_order_async,
          callback, user_data);
}

static gint64
hoga_sqlite_journal_record_order_finish (HogaJournal   *journal,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, journal), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == hoga_sqlite_journal_record_order_async, 0);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;
  job = g_task_get_task_data (G_TASK (result));
  return job->id;
}

static void
hoga_sqlite_journal_update_order_async (HogaJournal           *journal,
                                        const HogaOrderRecord *order,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  Job *job = job_new (JOB_UPDATE_ORDER);

  job->in.order = *order;
  stamp (&job->in.order.updated_at);
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_update_order_async,
          callback, user_data);
}

static void
hoga_sqlite_journal_record_fill_async (HogaJournal          *journal,
                                       const HogaFillRecord *fill,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  Job *job = job_new (JOB_RECORD_FILL);

  job->in.fill = *fill;
  stamp (&job->in.fill.filled_at);
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_record_fill_async,
          callback, user_data);
}

static gboolean
hoga_sqlite_journal_record_fill_finish (HogaJournal   *journal,
                                        GAsyncResult  *result,
                                        gboolean      *is_new,
                                        GError       **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, journal), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == hoga_sqlite_journal_record_fill_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (is_new != NULL)
    *is_new = job->is_new;
  return TRUE;
}

static void
hoga_sqlite_journal_save_position_async (HogaJournal              *journal,
                                         const HogaPositionRecord *position,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data)
{
  Job *job = job_new (JOB_SAVE_POSITION);

  job->in.position = *position;
  stamp (&job->in.position.updated_at);
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_save_position_async,
          callback, user_data);
}

static void
hoga_sqlite_journal_remove_position_async (HogaJournal         *journal,
                                           const char          *code,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Job *job = job_new (JOB_REMOVE_POSITION);

  g_strlcpy (job->in.code, code, sizeof job->in.code);
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_remove_position_async,
          callback, user_data);
}

static void
hoga_sqlite_journal_save_daily_async (HogaJournal           *journal,
                                      const HogaDailyRecord *daily,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  Job *job = job_new (JOB_SAVE_DAILY);

  job->in.daily = *daily;
  stamp (&job->in.daily.updated_at);
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_save_daily_async,
          callback, user_data);
}

static void
hoga_sqlite_journal_append_audit_async (HogaJournal           *journal,
                                        const HogaAuditRecord *audit,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  Job *job = job_new (JOB_APPEND_AUDIT);

  job->in.audit = *audit;
  stamp (&job->in.audit.time);
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_append_audit_async,
          callback, user_data);
}

static gboolean
hoga_sqlite_journal_write_finish (HogaJournal   *journal,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, journal), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hoga_sqlite_journal_load_async (HogaJournal         *journal,
                                guint32              today,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Job *job = job_new (JOB_LOAD);

  job->in.today = today;
  submit (HOGA_SQLITE_JOURNAL (journal), job, hoga_sqlite_journal_load_async,
          callback, user_data);
}

static HogaJournalSnapshot *
hoga_sqlite_journal_load_finish (HogaJournal   *journal,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, journal), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == hoga_sqlite_journal_load_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
hoga_sqlite_journal_close_async (HogaJournal         *journal,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  submit (HOGA_SQLITE_JOURNAL (journal), job_new (JOB_CLOSE),
          hoga_sqlite_journal_close_async, callback, user_data);
}

static gboolean
hoga_sqlite_journal_close_finish (HogaJournal   *journal,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, journal), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == hoga_sqlite_journal_close_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Opening, in the caller's thread, before the worker exists. */

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, sql);
      return FALSE;
    }
  return TRUE;
}

/* The first column of the first row of @sql as text; NULL with @error set when it fails or
 * returns no row. */
static char *
query_text (sqlite3     *db,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_ROW)
    set_sqlite_error (error, db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, sql);
  else if (text == NULL)
    text = g_strdup ("");
  sqlite3_finalize (stmt);
  return text;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value,
           GError     **error)
{
  g_autofree char *text = query_text (db, sql, error);

  if (text == NULL)
    return FALSE;
  *value = (int)g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

/* Refuses, before SQLite sees it, a non-empty file that does not start with the SQLite
 * header: SQLite would also refuse it, but only once asked to read it. */
static gboolean
check_header (const char  *path,
              gboolean    *is_new,
              GError     **error)
{
  char header[sizeof SQLITE_MAGIC] = { 0 };
  GStatBuf st;
  ssize_t n;
  int fd;

  if (g_stat (path, &st) != 0)
    {
      if (errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not open the journal “%s”: %s"), path,
                       g_strerror (saved_errno));
          return FALSE;
        }
      *is_new = TRUE;
      return TRUE;
    }
  /* A zero-length file (a crash right after creating it, or touch(1)) holds nothing to
   * lose; SQLite sees it as an empty database, and so does the journal. */
  *is_new = st.st_size == 0;
  if (*is_new)
    return TRUE;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not open the journal “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  n = read (fd, header, sizeof header);
  g_close (fd, NULL);

  if (n != (ssize_t)sizeof header || memcmp (header, SQLITE_MAGIC, sizeof header) != 0)
    {
      g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CORRUPT,
                   _("“%s” is not a Hoga journal (it is not an SQLite database). "
                     "It was not modified; move it away to start a new journal."), path);
      return FALSE;
    }
  return TRUE;
}

/* A new file's directory entry must reach the disk too, or a power cut can lose the file
 * with every commit in it. SQLite syncs the directory for the WAL it creates, not for the
 * database file. */
static gboolean
sync_directory (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        g_close (fd, NULL);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not sync the folder of the journal “%s”: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return g_close (fd, error);
}

static gboolean
migrate (sqlite3     *db,
         int          from,
         GError     **error)
{
  for (int version = from; version < (int)G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec_sql (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_sql (db, migrations[version], error)
          || !exec_sql (db, set_version, error)
          || !exec_sql (db, "COMMIT", error))
        {
          exec_sql (db, "ROLLBACK", NULL);
          g_prefix_error (error, "migration to schema version %d: ", version + 1);
          return FALSE;
        }
      g_debug ("journal migrated to schema version %d", version + 1);
    }
  return TRUE;
}

static gboolean
check_integrity (sqlite3     *db,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *result = query_text (db, "PRAGMA quick_check", &local_error);

  if (result != NULL && g_str_equal (result, "ok"))
    return TRUE;

  g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CORRUPT,
               _("The journal “%s” is damaged (%s). It was not modified; keep it for "
                 "recovery and move it away to start a new journal."),
               path, result != NULL ? result : local_error->message);
  return FALSE;
}

/* Reads the version before anything can write, and refuses what this build cannot use. */
static gboolean
check_version (sqlite3     *db,
               const char  *path,
               int         *version,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!query_int (db, "PRAGMA user_version", version, &local_error))
    {
      if (g_error_matches (local_error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_BUSY))
        g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_BUSY,
                     _("The journal “%s” is in use by another Hoga."), path);
      else if (g_error_matches (local_error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CORRUPT))
        g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CORRUPT,
                     _("The journal “%s” is damaged (%s). It was not modified; keep it for "
                       "recovery and move it away to start a new journal."),
                     path, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (*version > (int)G_N_ELEMENTS (migrations))
    {
      g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_TOO_NEW,
                   _("The journal “%s” has schema version %d, written by a newer Hoga; this "
                     "version knows schema versions up to %d. It was not modified."),
                   path, *version, (int)G_N_ELEMENTS (migrations));
      return FALSE;
    }
  return TRUE;
}

static gboolean
configure (HogaSqliteJournal  *self,
           sqlite3            *db,
           GError            **error)
{
  g_autofree char *journal_mode = NULL;
  int synchronous;

  /* WAL: a commit appends to one file and syncs it once. */
  journal_mode = query_text (db, "PRAGMA journal_mode = WAL", error);
  if (journal_mode == NULL
      || !exec_sql (db, "PRAGMA synchronous = FULL", error)
      || !exec_sql (db, "PRAGMA foreign_keys = ON", error)
      || !query_int (db, "PRAGMA synchronous", &synchronous, error))
    return FALSE;
  if (!g_str_equal (journal_mode, "wal"))
    g_warning ("the journal %s is in journal_mode %s, not wal: commits stay durable, slower",
               self->path, journal_mode);
  if (synchronous != 2)
    {
      g_set_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_FAILED,
                   "SQLite kept synchronous=%d, not FULL (2): commits would not be durable",
                   synchronous);
      return FALSE;
    }
  return TRUE;
}

/* Reads back what SQLite applied rather than repeating what was asked. */
static gboolean
describe (HogaSqliteJournal  *self,
          sqlite3            *db,
          GError            **error)
{
  g_autofree char *journal_mode = query_text (db, "PRAGMA journal_mode", error);
  g_autofree char *locking_mode = NULL;
  int synchronous, foreign_keys, version;

  if (journal_mode == NULL
      || (locking_mode = query_text (db, "PRAGMA locking_mode", error)) == NULL
      || !query_int (db, "PRAGMA synchronous", &synchronous, error)
      || !query_int (db, "PRAGMA foreign_keys", &foreign_keys, error)
      || !query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;

  self->debug_info = g_strdup_printf ("sqlite=%s, schema=%d, journal_mode=%s, "
                                      "synchronous=%d, foreign_keys=%d, locking_mode=%s",
                                      sqlite3_libversion (), version, journal_mode,
                                      synchronous, foreign_keys, locking_mode);
  return TRUE;
}

static gboolean
open_database (HogaSqliteJournal  *self,
               Worker             *worker,
               GError            **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *wal_path = NULL;
  gboolean is_new = FALSE;
  gboolean has_wal;
  int version = 0;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!check_header (self->path, &is_new, error))
    return FALSE;
  wal_path = g_strconcat (self->path, "-wal", NULL);
  has_wal = g_file_test (wal_path, G_FILE_TEST_EXISTS);

  /* NOMUTEX: only one thread at a time ever uses the connection. */
  rc = sqlite3_open_v2 (self->path, &worker->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, worker->db, rc, self->path);
      return FALSE;
    }
  sqlite3_extended_result_codes (worker->db, 1);

  /* The checks only read, so a refused file is never written to. Closing would checkpoint
   * a WAL left by a crash into the database file: not until the file is accepted. */
  sqlite3_db_config (worker->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, has_wal, NULL);
  if (!exec_sql (worker->db, "PRAGMA locking_mode = EXCLUSIVE", error)
      || !check_version (worker->db, self->path, &version, error)
      || !check_integrity (worker->db, self->path, error))
    return FALSE;
  sqlite3_db_config (worker->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  if (!configure (self, worker->db, error)
      || !migrate (worker->db, version, error)
      || !describe (self, worker->db, error))
    return FALSE;

  if (is_new && !sync_directory (self->path, error))
    return FALSE;

  for (guint i = 0; i < N_STMTS; i++)
    {
      rc = sqlite3_prepare_v3 (worker->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &worker->stmts[i], NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, worker->db, rc, stmt_sql[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static void
worker_free (Worker *worker)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&worker->stmts[i], sqlite3_finalize);
  g_clear_pointer (&worker->db, sqlite3_close_v2);
  g_clear_pointer (&worker->queue, g_async_queue_unref);
  g_free (worker);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Worker, worker_free)

static gboolean
hoga_sqlite_journal_initable_init (GInitable     *initable,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  HogaSqliteJournal *self = HOGA_SQLITE_JOURNAL (initable);
  g_autoptr(Worker) worker = g_new0 (Worker, 1);

  g_return_val_if_fail (self->path != NULL, FALSE);
  g_return_val_if_fail (self->worker == NULL, FALSE);

  worker->queue = g_async_queue_new ();
  if (!open_database (self, worker, error))
    return FALSE;

  self->thread = g_thread_try_new ("hoga-journal", worker_thread, worker, error);
  if (self->thread == NULL)
    return FALSE;
  self->worker = g_steal_pointer (&worker);

  g_debug ("journal %s open: %s", self->path, self->debug_info);
  return TRUE;
}

static void
hoga_sqlite_journal_initable_iface_init (GInitableIface *iface)
{
  iface->init = hoga_sqlite_journal_initable_init;
}

static void
hoga_sqlite_journal_journal_iface_init (HogaJournalInterface *iface)
{
  iface->record_order_async = hoga_sqlite_journal_record_order_async;
  iface->record_order_finish = hoga_sqlite_journal_record_order_finish;
  iface->update_order_async = hoga_sqlite_journal_update_order_async;
  iface->record_fill_async = hoga_sqlite_journal_record_fill_async;
  iface->record_fill_finish = hoga_sqlite_journal_record_fill_finish;
  iface->save_position_async = hoga_sqlite_journal_save_position_async;
  iface->remove_position_async = hoga_sqlite_journal_remove_position_async;
  iface->save_daily_async = hoga_sqlite_journal_save_daily_async;
  iface->append_audit_async = hoga_sqlite_journal_append_audit_async;
  iface->write_finish = hoga_sqlite_journal_write_finish;
  iface->load_async = hoga_sqlite_journal_load_async;
  iface->load_finish = hoga_sqlite_journal_load_finish;
  iface->close_async = hoga_sqlite_journal_close_async;
  iface->close_finish = hoga_sqlite_journal_close_finish;
}

static void
hoga_sqlite_journal_finalize (GObject *object)
{
  HogaSqliteJournal *self = HOGA_SQLITE_JOURNAL (object);

  /* Every job holds a reference to its task and the task one to us: none is left. The
   * worker closes the connection if close_async() was not called; that blocks briefly. */
  if (self->thread != NULL)
    {
      g_async_queue_push (self->worker->queue, job_new (JOB_STOP));
      g_thread_join (g_steal_pointer (&self->thread));
    }
  g_clear_pointer (&self->worker, worker_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->debug_info, g_free);

  G_OBJECT_CLASS (hoga_sqlite_journal_parent_class)->finalize (object);
}

static void
hoga_sqlite_journal_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HogaSqliteJournal *self = HOGA_SQLITE_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_sqlite_journal_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HogaSqliteJournal *self = HOGA_SQLITE_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_sqlite_journal_class_init (HogaSqliteJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_sqlite_journal_finalize;
  object_class->get_property = hoga_sqlite_journal_get_property;
  object_class->set_property = hoga_sqlite_journal_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_sqlite_journal_init (HogaSqliteJournal *self)
{
}

HogaSqliteJournal *
hoga_sqlite_journal_open (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (HOGA_TYPE_SQLITE_JOURNAL, NULL, error, "path", path, NULL);
}

char *
hoga_sqlite_journal_default_path (const char *profile)
{
  /* The profile becomes a folder name: it must not climb out of the data folder. */
  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);
  g_return_val_if_fail (strchr (profile, G_DIR_SEPARATOR) == NULL, NULL);
  g_return_val_if_fail (!g_str_equal (profile, ".") && !g_str_equal (profile, ".."), NULL);

  return g_build_filename (g_get_user_data_dir (), "hoga", profile, "journal.sqlite", NULL);
}

const char *
hoga_sqlite_journal_get_path (HogaSqliteJournal *self)
{
  g_return_val_if_fail (HOGA_IS_SQLITE_JOURNAL (self), NULL);
  return self->path;
}

const char *
hoga_sqlite_journal_get_debug_info (HogaSqliteJournal *self)
{
  g_return_val_if_fail (HOGA_IS_SQLITE_JOURNAL (self), NULL);
  return self->debug_info;
}

int
hoga_sqlite_journal_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}
