/* test-order-book.c — the order book: journal before send, the state machine, 00 events,
 * reconciliation and restart, on the real SQLite journal; and once end to end on
 * hoga-exchange through the real Kiwoom adapter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

/* The fake broker is built into this test rather than into a library of its own. It comes
 * first: it names its own log domain. */
#include "fake-broker.c"

#include <string.h>

#include <glib/gstdio.h>

#include "hoga-krx.h"
#include "hoga-order-book.h"
#include "hoga-sqlite-journal.h"
#include "hx-test-fixture.h"
#include "kiwoom-broker.h"

#define WAIT_MS 5000
#define TODAY 20260105

/* ---- a journal that shows when its completions are delivered ----------------------- */

/* Journal before send means: the book's request leaves only after the journal has told
 * the book that the intent is on disk. The SQLite journal's contract is that a completion
 * is delivered only after its transaction committed and synced (test-journal checks it);
 * this wrapper notes each record_order completion at the instant it is handed to the book,
 * so the fake broker can check, from inside the place call, that it came first. A second
 * connection cannot look instead: the journal holds its file locked exclusively. */

#define SPY_TYPE_JOURNAL (spy_journal_get_type ())
G_DECLARE_FINAL_TYPE (SpyJournal, spy_journal, SPY, JOURNAL, GObject)

struct _SpyJournal
{
  GObject      parent_instance;

  HogaJournal *inner;
  GArray      *delivered;      /* HogaOrderRecord: intents whose completion was delivered */
};

static void spy_journal_iface_init (HogaJournalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpyJournal, spy_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HOGA_TYPE_JOURNAL,
                                                      spy_journal_iface_init))

typedef struct {
  SpyJournal          *self;
  HogaOrderRecord      record;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} SpyRecord;

static void
spy_record_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree SpyRecord *call = user_data;

  g_array_append_val (call->self->delivered, call->record);
  call->callback (source, result, call->user_data);
  g_object_unref (call->self);
}

static void
spy_record_order_async (HogaJournal           *journal,
                        const HogaOrderRecord *order,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  SpyJournal *self = SPY_JOURNAL (journal);
  SpyRecord *call = g_new0 (SpyRecord, 1);

  call->self = g_object_ref (self);
  call->record = *order;
  call->callback = callback;
  call->user_data = user_data;
  hoga_journal_record_order_async (self->inner, order, spy_record_done_cb, call);
}

static gint64
spy_record_order_finish (HogaJournal   *journal,
                         GAsyncResult  *result,
                         GError       **error)
{
  return hoga_journal_record_order_finish (SPY_JOURNAL (journal)->inner, result, error);
}

static void
spy_update_order_async (HogaJournal           *journal,
                        const HogaOrderRecord *order,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  hoga_journal_update_order_async (SPY_JOURNAL (journal)->inner, order, callback, user_data);
}

static void
spy_record_fill_async (HogaJournal          *journal,
                       const HogaFillRecord *fill,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  hoga_journal_record_fill_async (SPY_JOURNAL (journal)->inner, fill, callback, user_data);
}

static gboolean
spy_record_fill_finish (HogaJournal   *journal,
                        GAsyncResult  *result,
                        gboolean      *is_new,
                        GError       **error)
{
  return hoga_journal_record_fill_finish (SPY_JOURNAL (journal)->inner, result, is_new,
                                          error);
}

static void
spy_save_position_async (HogaJournal              *journal,
                         const HogaPositionRecord *position,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  hoga_journal_save_position_async (SPY_JOURNAL (journal)->inner, position, callback,
                                    user_data);
}

static void
spy_remove_position_async (HogaJournal         *journal,
                           const char          *code,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  hoga_journal_remove_position_async (SPY_JOURNAL (journal)->inner, code, callback,
                                      user_data);
}

static void
spy_save_daily_async (HogaJournal           *journal,
                      const HogaDailyRecord *daily,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data)
{
  hoga_journal_save_daily_async (SPY_JOURNAL (journal)->inner, daily, callback, user_data);
}

static void
spy_append_audit_async (HogaJournal           *journal,
                        const HogaAuditRecord *audit,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  hoga_journal_append_audit_async (SPY_JOURNAL (journal)->inner, audit, callback, user_data);
}

static gboolean
spy_write_finish (HogaJournal   *journal,
                  GAsyncResult  *result,
                  GError       **error)
{
  return hoga_journal_write_finish (SPY_JOURNAL (journal)->inner, result, error);
}

static void
spy_load_async (HogaJournal         *journal,
                guint32              today,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  hoga_journal_load_async (SPY_JOURNAL (journal)->inner, today, callback, user_data);
}

static HogaJournalSnapshot *
spy_load_finish (HogaJournal   *journal,
                 GAsyncResult  *result,
                 GError       **error)
{
  return hoga_journal_load_finish (SPY_JOURNAL (journal)->inner, result, error);
}

static void
spy_close_async (HogaJournal         *journal,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  hoga_journal_close_async (SPY_JOURNAL (journal)->inner, callback, user_data);
}

static gboolean
spy_close_finish (HogaJournal   *journal,
                  GAsyncResult  *result,
                  GError       **error)
{
  return hoga_journal_close_finish (SPY_JOURNAL (journal)->inner, result, error);
}

static void
spy_journal_iface_init (HogaJournalInterface *iface)
{
  iface->record_order_async = spy_record_order_async;
  iface->record_order_finish = spy_record_order_finish;
  iface->update_order_async = spy_update_order_async;
  iface->record_fill_async = spy_record_fill_async;
  iface->record_fill_finish = spy_record_fill_finish;
  iface->save_position_async = spy_save_position_async;
  iface->remove_position_async = spy_remove_position_async;
  iface->save_daily_async = spy_save_daily_async;
  iface->append_audit_async = spy_append_audit_async;
  iface->write_finish = spy_write_finish;
  iface->load_async = spy_load_async;
  iface->load_finish = spy_load_finish;
  iface->close_async = spy_close_async;
  iface->close_finish = spy_close_finish;
}

static void
spy_journal_finalize (GObject *object)
{
  SpyJournal *self = SPY_JOURNAL (object);

  g_clear_object (&self->inner);
  g_array_unref (self->delivered);

  G_OBJECT_CLASS (spy_journal_parent_class)->finalize (object);
}

static void
spy_journal_class_init (SpyJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = spy_journal_finalize;
}

static void
spy_journal_init (SpyJournal *self)
{
  self->delivered = g_array_new (FALSE, TRUE, sizeof (HogaOrderRecord));
}

/* ---- fixture ----------------------------------------------------------------------- */

typedef struct {
  HogaOrder *order;
  gint64     qty;
  gint64     price;
} Fill;

typedef struct {
  char          *dir;
  char          *path;
  HogaJournal   *journal;      /* the SQLite journal */
  FakeBroker    *broker;
  HogaOrderBook *book;
  GArray        *fills;        /* Fill, as ::fill reported them */
  gint64         costs;        /* Σ ::costs amounts */
  guint          n_costs;      /* ::costs emissions */
} Fx;

typedef struct {
  gboolean       done;
  HogaOrder     *order;
  GError        *error;
  int            n_unknown;
  HogaJournalSnapshot *snapshot;
} Op;

static gboolean
op_done (gpointer data)
{
  return ((Op *)data)->done;
}

static void
fill_cb (HogaOrderBook *book,
         HogaOrder     *order,
         gint64         qty,
         gint64         price,
         Fx            *fx)
{
  Fill fill = { order, qty, price };

  g_array_append_val (fx->fills, fill);
}

static void
costs_cb (HogaOrderBook *book,
          HogaOrder     *order,
          gint64         amount,
          Fx            *fx)
{
  g_assert_cmpint (amount, >, 0);
  fx->costs += amount;
  fx->n_costs++;
}

static HogaJournal *
open_journal (const char *path)
{
  g_autoptr(GError) error = NULL;
  HogaSqliteJournal *journal = hoga_sqlite_journal_open (path, &error);

  g_assert_no_error (error);
  return HOGA_JOURNAL (journal);
}

static HogaOrderBook *
book_new (Fx          *fx,
          HogaBroker  *broker,
          HogaJournal *journal)
{
  HogaOrderBook *book = hoga_order_book_new (broker, journal);

  hoga_order_book_set_reconcile_interval (book, 0);
  g_signal_connect (book, "fill", G_CALLBACK (fill_cb), fx);
  g_signal_connect (book, "costs", G_CALLBACK (costs_cb), fx);
  return book;
}

static Fx *
fx_new (void)
{
  Fx *fx = g_new0 (Fx, 1);
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("hoga-orders-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "journal.sqlite", NULL);
  fx->journal = open_journal (fx->path);
  fx->broker = fake_broker_new ();
  fx->fills = g_array_new (FALSE, TRUE, sizeof (Fill));
  fx->book = book_new (fx, HOGA_BROKER (fx->broker), fx->journal);
  return fx;
}

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;

  hoga_journal_close_finish (HOGA_JOURNAL (source), result, &op->error);
  op->done = TRUE;
}

static void
close_journal (HogaJournal *journal)
{
  Op op = { 0 };

  hoga_journal_close_async (journal, close_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, WAIT_MS));
  g_assert_no_error (op.error);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;

  op->snapshot = hoga_journal_load_finish (HOGA_JOURNAL (source), result, &op->error);
  op->done = TRUE;
}

static HogaJournalSnapshot *
load_journal (HogaJournal *journal)
{
  Op op = { 0 };

  hoga_journal_load_async (journal, TODAY, load_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, WAIT_MS));
  g_assert_no_error (op.error);
  return op.snapshot;
}

/* The journal as a restart would find it: closed, and opened again. */
static HogaJournalSnapshot *
reopen_and_load (Fx *fx)
{
  g_autoptr(HogaJournal) journal = NULL;
  HogaJournalSnapshot *snapshot;

  g_clear_object (&fx->book);
  close_journal (fx->journal);
  g_clear_object (&fx->journal);
  journal = open_journal (fx->path);
  snapshot = load_journal (journal);
  close_journal (journal);
  return snapshot;
}

static void
fx_free (Fx *fx)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fx->book);
  if (fx->journal != NULL)
    close_journal (fx->journal);
  g_clear_object (&fx->journal);
  g_clear_object (&fx->broker);
  g_array_unref (fx->fills);

  dir = g_dir_open (fx->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fx->dir, name, NULL);

      g_remove (file);
    }
  g_rmdir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
  g_free (fx);
}

/* ---- driving the book -------------------------------------------------------------- */

static void
submit_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Op *op = user_data;

  op->order = hoga_order_book_submit_finish (HOGA_ORDER_BOOK (source), result, &op->error);
  op->done = TRUE;
}

static HogaOrderRequest
request_of (HogaSide       side,
            HogaOrderType  type,
            const char    *code,
            gint64         qty,
            gint64         price)
{
  HogaOrderRequest request = { side, type, HOGA_VENUE_KRX, "", qty, price };

  g_strlcpy (request.code, code, sizeof request.code);
  return request;
}

static void
submit_start (HogaOrderBook *book,
              HogaSide       side,
              HogaOrderType  type,
              const char    *code,
              gint64         qty,
              gint64         price,
              Op            *op)
{
  HogaOrderRequest request = request_of (side, type, code, qty, price);

  hoga_order_book_submit_async (book, &request, "test", NULL, submit_done_cb, op);
}

static HogaOrder *
wait_op (Op *op)
{
  g_assert_true (hx_iterate_until (op_done, op, 15000));
  g_assert_no_error (op->error);
  g_assert_nonnull (op->order);
  return op->order;
}

static HogaOrder *
submit (HogaOrderBook *book,
        HogaSide       side,
        HogaOrderType  type,
        const char    *code,
        gint64         qty,
        gint64         price)
{
  Op op = { 0 };

  submit_start (book, side, type, code, qty, price, &op);
  return wait_op (&op);
}

static HogaOrder *
buy_limit (Fx         *fx,
           const char *code,
           gint64      qty,
           gint64      price)
{
  return submit (fx->book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, code, qty, price);
}

static void
reconcile_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Op *op = user_data;

  op->n_unknown = hoga_order_book_reconcile_finish (HOGA_ORDER_BOOK (source), result,
                                                    &op->error);
  op->done = TRUE;
}

static int
reconcile (HogaOrderBook *book)
{
  Op op = { 0 };

  hoga_order_book_reconcile_async (book, NULL, reconcile_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, 15000));
  g_assert_no_error (op.error);
  return op.n_unknown;
}

typedef struct {
  HogaOrder      *order;
  HogaOrderState  state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;

  return hoga_order_get_state (wait->order) == wait->state;
}

static void
wait_state (HogaOrder      *order,
            HogaOrderState  state)
{
  StateWait wait = { order, state };

  hx_iterate_until (has_state, &wait, WAIT_MS);
  g_assert_cmpstr (hoga_order_state_to_string (hoga_order_get_state (order)), ==,
                   hoga_order_state_to_string (state));
}

typedef struct {
  HogaOrder *order;
  gint64     qty;
} FilledWait;

static gboolean
has_filled (gpointer data)
{
  FilledWait *wait = data;

  return hoga_order_get_filled_qty (wait->order) == wait->qty;
}

static void
wait_filled (HogaOrder *order,
             gint64     qty)
{
  FilledWait wait = { order, qty };

  hx_iterate_until (has_filled, &wait, WAIT_MS);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, qty);
}

static gboolean
has_hung_call (gpointer data)
{
  return fake_broker_get_n_hung (data) > 0;
}

static void
emit (Fx              *fx,
      const char      *ord_no,
      HogaOrderStatus  status,
      gint64           order_qty,
      gint64           unfilled_qty,
      const char      *fill_no,
      gint64           fill_qty,
      gint64           fill_price)
{
  HogaOrderEvent event = { 0 };

  g_strlcpy (event.ord_no, ord_no, sizeof event.ord_no);
  g_strlcpy (event.fill_no, fill_no != NULL ? fill_no : "", sizeof event.fill_no);
  event.status = status;
  event.order_qty = order_qty;
  event.unfilled_qty = unfilled_qty;
  event.fill_qty = fill_qty;
  event.fill_price = fill_price;
  fake_broker_emit_order_event (fx->broker, &event);
}

static void
emit_fill (Fx         *fx,
           const char *ord_no,
           const char *fill_no,
           gint64      order_qty,
           gint64      unfilled_qty,
           gint64      qty,
           gint64      price)
{
  emit (fx, ord_no, HOGA_ORDER_STATUS_FILLED, order_qty, unfilled_qty, fill_no, qty, price);
}

/* A 체결 with the order's commission and tax so far (FIDs 938/939). */
static void
emit_fill_costs (Fx         *fx,
                 const char *ord_no,
                 const char *fill_no,
                 gint64      order_qty,
                 gint64      unfilled_qty,
                 gint64      qty,
                 gint64      price,
                 gint64      fee,
                 gint64      tax)
{
  HogaOrderEvent event = { 0 };

  g_strlcpy (event.ord_no, ord_no, sizeof event.ord_no);
  g_strlcpy (event.fill_no, fill_no, sizeof event.fill_no);
  event.status = HOGA_ORDER_STATUS_FILLED;
  event.order_qty = order_qty;
  event.unfilled_qty = unfilled_qty;
  event.fill_qty = qty;
  event.fill_price = price;
  event.fee = fee;
  event.tax = tax;
  fake_broker_emit_order_event (fx->broker, &event);
}

static HogaOrderSnapshot
row_of (const char *ord_no,
        HogaSide    side,
        HogaOrderType type,
        const char *code,
        gint64      qty,
        gint64      price,
        gint64      filled_qty,
        gint64      fill_price)
{
  HogaOrderSnapshot row = { 0 };

  g_strlcpy (row.ord_no, ord_no, sizeof row.ord_no);
  g_strlcpy (row.code, code, sizeof row.code);
  row.side = side;
  row.kind = HOGA_ORDER_KIND_NEW;
  row.type = type;
  row.order_qty = qty;
  row.order_price = price;
  row.filled_qty = filled_qty;
  row.unfilled_qty = qty - filled_qty;
  row.fill_price = fill_price;
  return row;
}

static guint
n_order_calls (FakeBroker *broker)
{
  return fake_broker_count_calls (broker, FAKE_CALL_PLACE)
         + fake_broker_count_calls (broker, FAKE_CALL_MODIFY)
         + fake_broker_count_calls (broker, FAKE_CALL_CANCEL);
}

/* ---- tests ------------------------------------------------------------------------- */

typedef struct {
  SpyJournal *spy;
  guint       n_checked;
} SendCheck;

static void
check_journaled_hook (FakeBroker     *broker,
                      const FakeCall *call,
                      gpointer        user_data)
{
  SendCheck *check = user_data;
  const HogaOrderRecord *last;

  /* One delivered intent per order call, the last of them being this one. */
  g_assert_cmpuint (check->spy->delivered->len, ==, n_order_calls (broker) + 1);
  last = &g_array_index (check->spy->delivered, HogaOrderRecord,
                         check->spy->delivered->len - 1);
  g_assert_cmpint (call->kind, ==, FAKE_CALL_PLACE);
  g_assert_cmpstr (last->code, ==, call->request.code);
  g_assert_cmpint (last->qty, ==, call->request.qty);
  g_assert_cmpint (last->side, ==, call->request.side);
  g_assert_cmpint (last->state, ==, HOGA_ORDER_STATE_PENDING);
  check->n_checked++;
}

static void
test_journal_before_send (void)
{
  Fx *fx = fx_new ();
  SendCheck check = { 0 };
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  g_autoptr(HogaOrder) first = NULL;
  g_autoptr(HogaOrder) second = NULL;
  const HogaOrderRecord *row;

  check.spy = g_object_new (SPY_TYPE_JOURNAL, NULL);
  check.spy->inner = g_object_ref (fx->journal);
  g_clear_object (&fx->book);
  fx->book = book_new (fx, HOGA_BROKER (fx->broker), HOGA_JOURNAL (check.spy));
  fake_broker_set_order_hook (fx->broker, check_journaled_hook, &check);

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  fake_broker_push_receipt (fx->broker, "0000002", NULL);
  first = buy_limit (fx, "005930", 10, 70000);
  second = submit (fx->book, HOGA_SIDE_SELL, HOGA_ORDER_TYPE_MARKET, "000660", 3, 0);
  g_assert_cmpuint (check.n_checked, ==, 2);
  g_assert_cmpint (hoga_order_get_state (first), ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpstr (hoga_order_get_ord_no (second), ==, "0000002");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->book)), ==, 2);

  /* What the send was based on is what a restart finds. */
  g_clear_object (&check.spy);
  snapshot = reopen_and_load (fx);
  g_assert_cmpuint (snapshot->orders->len, ==, 2);
  row = &g_array_index (snapshot->orders, HogaOrderRecord, 0);
  g_assert_cmpstr (row->code, ==, "005930");
  g_assert_cmpint (row->qty, ==, 10);
  g_assert_cmpint (row->price, ==, 70000);
  g_assert_cmpstr (row->reason, ==, "test");
  g_assert_cmpint (row->state, ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpstr (row->ord_no, ==, "0000001");
  fx_free (fx);
}

static void
test_fills_to_filled (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  order = buy_limit (fx, "005930", 10, 70000);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpstr (hoga_order_get_root_ord_no (order), ==, "0000001");

  emit (fx, "0000001", HOGA_ORDER_STATUS_RECEIVED, 10, 10, NULL, 0, 0);
  emit_fill (fx, "0000001", "1", 10, 6, 4, 70000);
  wait_state (order, HOGA_ORDER_STATE_PARTIAL);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 4);

  emit_fill (fx, "0000001", "2", 10, 0, 6, 70100);
  wait_state (order, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 10);
  g_assert_cmpint (hoga_order_get_avg_fill_price (order), ==, (4 * 70000 + 6 * 70100) / 10);

  g_assert_cmpuint (fx->fills->len, ==, 2);
  g_assert_true (g_array_index (fx->fills, Fill, 0).order == order);
  g_assert_cmpint (g_array_index (fx->fills, Fill, 0).qty, ==, 4);
  g_assert_cmpint (g_array_index (fx->fills, Fill, 1).qty, ==, 6);
  g_assert_cmpint (g_array_index (fx->fills, Fill, 1).price, ==, 70100);
  fx_free (fx);
}

static void
test_duplicate_fill (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;
  HogaOrderSnapshot working;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  order = buy_limit (fx, "005930", 10, 70000);
  /* Reconciliation serves as a barrier here: it completes once every event is handled. */
  working = row_of ("0000001", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 10, 70000,
                    0, 0);
  fake_broker_set_orders (fx->broker, FALSE, &working, 1);

  emit_fill (fx, "0000001", "1", 10, 6, 4, 70000);
  emit_fill (fx, "0000001", "1", 10, 6, 4, 70000);
  /* The same without the order's quantities: only the journal can tell it is seen. */
  emit_fill (fx, "0000001", "1", 0, 0, 4, 70000);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_PARTIAL);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 4);
  g_assert_cmpuint (fx->fills->len, ==, 1);

  emit_fill (fx, "0000001", "2", 10, 4, 2, 70000);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 6);
  g_assert_cmpuint (fx->fills->len, ==, 2);

  snapshot = reopen_and_load (fx);
  g_assert_cmpuint (snapshot->fills->len, ==, 2);
  g_assert_cmpint (g_array_index (snapshot->orders, HogaOrderRecord, 0).filled_qty, ==, 6);
  fx_free (fx);
}

/* 938/939 are running totals per order: every figure is counted once, whether it comes
 * again in a repeated event, in reconciliation's lists, or in a 00 event that arrives after
 * reconciliation already brought the fill in. The orders keep them through a restart. */
static void
test_costs_once (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) buy = NULL;
  g_autoptr(HogaOrder) sell = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  g_autoptr(HogaJournal) journal = NULL;
  g_autofree char *today = hx_kst_now_string ("%Y%m%d");
  HogaOrderSnapshot working, filled[2];
  const HogaOrderRecord *row;
  Op op = { 0 };

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  buy = buy_limit (fx, "005930", 12, 70000);
  working = row_of ("0000001", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 12, 70000,
                    0, 0);
  fake_broker_set_orders (fx->broker, FALSE, &working, 1);

  emit_fill_costs (fx, "0000001", "1", 12, 8, 4, 70000, 40, 0);
  emit_fill_costs (fx, "0000001", "1", 12, 8, 4, 70000, 40, 0);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (fx->costs, ==, 40);
  g_assert_cmpuint (fx->n_costs, ==, 1);
  g_assert_cmpint (hoga_order_get_record (buy)->fee, ==, 40);

  /* The second fill brings the order's commission to 100: 60 of it is new. An older
   * figure arriving late takes nothing back. */
  emit_fill_costs (fx, "0000001", "2", 12, 2, 6, 70100, 100, 0);
  emit_fill_costs (fx, "0000001", "1", 12, 8, 4, 70000, 40, 0);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (fx->costs, ==, 100);
  g_assert_cmpuint (fx->n_costs, ==, 2);
  g_assert_cmpint (hoga_order_get_record (buy)->fee, ==, 100);

  /* A sell whose 00 events are lost: reconciliation brings its fill and its costs. */
  fake_broker_push_receipt (fx->broker, "0000002", NULL);
  sell = submit (fx->book, HOGA_SIDE_SELL, HOGA_ORDER_TYPE_MARKET, "000660", 5, 0);
  working = row_of ("0000001", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 12, 70000,
                    10, 70060);
  filled[0] = working;
  filled[0].fee = 100;
  filled[1] = row_of ("0000002", HOGA_SIDE_SELL, HOGA_ORDER_TYPE_MARKET, "000660", 5, 0,
                      5, 71000);
  filled[1].fee = 50;
  filled[1].tax = 639;
  fake_broker_set_orders (fx->broker, FALSE, &working, 1);
  fake_broker_set_orders (fx->broker, TRUE, filled, 2);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_state (sell), ==, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpint (fx->costs, ==, 100 + 689);
  g_assert_cmpuint (fx->n_costs, ==, 3);

  /* The same lists again, then the sell's late 00 event: nothing more. */
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  emit_fill_costs (fx, "0000002", "1", 5, 0, 5, 71000, 50, 639);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (fx->costs, ==, 100 + 689);
  g_assert_cmpuint (fx->n_costs, ==, 3);
  g_assert_cmpint (hoga_order_get_record (sell)->fee, ==, 50);
  g_assert_cmpint (hoga_order_get_record (sell)->tax, ==, 639);

  /* A restart finds each order's figures and the day's sum. */
  g_clear_object (&fx->book);
  close_journal (fx->journal);
  g_clear_object (&fx->journal);
  journal = open_journal (fx->path);
  hoga_journal_load_async (journal, (guint32) g_ascii_strtoull (today, NULL, 10),
                           load_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, WAIT_MS));
  g_assert_no_error (op.error);
  snapshot = op.snapshot;
  g_assert_cmpint (snapshot->costs_today, ==, 100 + 689);
  g_assert_cmpuint (snapshot->orders->len, ==, 1);
  row = &g_array_index (snapshot->orders, HogaOrderRecord, 0);
  g_assert_cmpstr (row->ord_no, ==, "0000001");
  g_assert_cmpint (row->fee, ==, 100);
  g_assert_cmpint (row->tax, ==, 0);
  close_journal (journal);
  fx_free (fx);
}

static void
test_event_before_receipt (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;
  Op op = { 0 };

  fake_broker_push_hang (fx->broker);
  submit_start (fx->book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_MARKET, "005930", 10, 0, &op);
  g_assert_true (hx_iterate_until (has_hung_call, fx->broker, WAIT_MS));

  /* The WebSocket is faster than the REST reply. */
  emit (fx, "0000007", HOGA_ORDER_STATUS_RECEIVED, 10, 10, NULL, 0, 0);
  emit_fill (fx, "0000007", "31", 10, 0, 10, 70000);
  hx_pump (100);
  g_assert_false (op.done);

  g_assert_true (fake_broker_complete_receipt (fx->broker, "0000007", NULL));
  order = wait_op (&op);
  wait_state (order, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpstr (hoga_order_get_ord_no (order), ==, "0000007");
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 10);
  g_assert_cmpint (hoga_order_get_avg_fill_price (order), ==, 70000);
  g_assert_cmpuint (fx->fills->len, ==, 1);
  fx_free (fx);
}

static void
test_rejected (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) rejected = NULL;
  g_autoptr(HogaOrder) invalid = NULL;
  g_autoptr(HogaOrder) later = NULL;
  const char *text = "[2000](RC4025:주문가능금액을 초과하였습니다)";

  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_REJECTED, text);
  rejected = buy_limit (fx, "005930", 1000, 70000);
  g_assert_cmpint (hoga_order_get_state (rejected), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpstr (hoga_order_get_error (rejected), ==, text);
  g_assert_cmpstr (hoga_order_get_ord_no (rejected), ==, "");

  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_INVALID, "입력 값 오류입니다[1511:…]");
  invalid = buy_limit (fx, "005930", 1, 70001);
  g_assert_cmpint (hoga_order_get_state (invalid), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpstr (hoga_order_get_error (invalid), ==, "입력 값 오류입니다[1511:…]");

  /* A rejection after acceptance comes as a 00 거부. */
  fake_broker_push_receipt (fx->broker, "0000003", NULL);
  later = buy_limit (fx, "005930", 1, 70000);
  {
    HogaOrderEvent event = { .status = HOGA_ORDER_STATUS_REJECTED, .order_qty = 1,
                             .unfilled_qty = 1 };

    g_strlcpy (event.ord_no, "0000003", sizeof event.ord_no);
    g_strlcpy (event.reject_reason, "RC4099 거부", sizeof event.reject_reason);
    fake_broker_emit_order_event (fx->broker, &event);
  }
  wait_state (later, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpstr (hoga_order_get_error (later), ==, "RC4099 거부");
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 3);
  fx_free (fx);
}

static void
test_not_sent (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) limited = NULL;
  g_autoptr(HogaOrder) offline = NULL;

  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_RATE_LIMITED,
                          "허용된 요청 개수를 초과하였습니다[1700:…]");
  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_NETWORK, "Connection refused");
  limited = buy_limit (fx, "005930", 1, 70000);
  offline = buy_limit (fx, "005930", 1, 70000);

  g_assert_cmpint (hoga_order_get_state (limited), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpint (hoga_order_get_state (offline), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_true (g_str_has_prefix (hoga_order_get_error (limited), "Not sent: "));
  g_assert_nonnull (strstr (hoga_order_get_error (limited), "1700"));
  g_assert_cmpstr (hoga_order_get_error (offline), ==, "Not sent: Connection refused");

  /* Nothing retried behind the engine's back. */
  hx_pump (200);
  g_assert_cmpuint (fake_broker_count_calls (fx->broker, FAKE_CALL_PLACE), ==, 2);
  fx_free (fx);
}

static void
test_unknown_adopted (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;
  HogaOrderSnapshot filled[2];
  Op op = { 0 };

  fake_broker_push_hang (fx->broker);
  submit_start (fx->book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 10, 70000, &op);
  g_assert_true (hx_iterate_until (has_hung_call, fx->broker, WAIT_MS));
  g_assert_true (fake_broker_complete_error (fx->broker, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN,
                                             "timed out"));
  order = wait_op (&op);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_UNKNOWN);
  g_assert_cmpuint (hoga_order_book_get_n_unknown (fx->book), ==, 1);

  /* An order placed elsewhere (different quantity) must not be taken for ours. */
  filled[0] = row_of ("0000004", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 10, 70000,
                      10, 70000);
  filled[1] = row_of ("0000003", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 5, 70000,
                      5, 70000);
  fake_broker_set_orders (fx->broker, TRUE, filled, 2);

  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpstr (hoga_order_get_ord_no (order), ==, "0000004");
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 10);
  g_assert_cmpint (hoga_order_get_avg_fill_price (order), ==, 70000);
  g_assert_null (hoga_order_book_lookup (fx->book, "0000003"));
  g_assert_cmpuint (fx->fills->len, ==, 1);

  /* The fill's own 00 event, late: already counted from the list. */
  emit_fill (fx, "0000004", "55", 10, 0, 10, 70000);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 10);
  g_assert_cmpuint (fx->fills->len, ==, 1);

  g_assert_cmpuint (fake_broker_count_calls (fx->broker, FAKE_CALL_PLACE), ==, 1);
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 1);
  fx_free (fx);
}

static void
test_unknown_not_found (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;
  HogaOrderSnapshot working;
  Op op = { 0 };

  hoga_order_book_set_reconcile_interval (fx->book, 1);
  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_PROTOCOL, "unreadable reply");
  submit_start (fx->book, HOGA_SIDE_SELL, HOGA_ORDER_TYPE_LIMIT, "000660", 3, 150000, &op);
  order = wait_op (&op);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_UNKNOWN);

  /* Same stock and side, another price: not ours. */
  working = row_of ("0000009", HOGA_SIDE_SELL, HOGA_ORDER_TYPE_LIMIT, "000660", 3, 151000,
                    0, 0);
  fake_broker_set_orders (fx->broker, FALSE, &working, 1);

  g_assert_cmpint (reconcile (fx->book), ==, 1);
  /* A second look right away proves nothing: the request could still be on its way. */
  g_assert_cmpint (reconcile (fx->book), ==, 1);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_UNKNOWN);
  hx_pump (1100);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpstr (hoga_order_get_error (order), ==, "Not found at the broker: not executed");
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 1);
  fx_free (fx);
}

static void
test_unknown_twin_in_flight (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) lost = NULL;
  g_autoptr(HogaOrder) slow = NULL;
  HogaOrderSnapshot working;
  Op op = { 0 };

  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN, "timed out");
  lost = buy_limit (fx, "005930", 10, 70000);
  g_assert_cmpint (hoga_order_get_state (lost), ==, HOGA_ORDER_STATE_UNKNOWN);

  /* The same order again (the engine's decision, say after a manual check), still in
   * flight when reconciliation runs: the broker's row is the second one's. */
  fake_broker_push_hang (fx->broker);
  submit_start (fx->book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 10, 70000, &op);
  g_assert_true (hx_iterate_until (has_hung_call, fx->broker, WAIT_MS));
  working = row_of ("0000005", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 10, 70000,
                    0, 0);
  fake_broker_set_orders (fx->broker, FALSE, &working, 1);

  g_assert_cmpint (reconcile (fx->book), ==, 1);
  g_assert_cmpstr (hoga_order_get_ord_no (lost), ==, "");

  g_assert_true (fake_broker_complete_receipt (fx->broker, "0000005", NULL));
  slow = wait_op (&op);
  g_assert_cmpstr (hoga_order_get_ord_no (slow), ==, "0000005");
  g_assert_cmpint (reconcile (fx->book), ==, 1);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_state (lost), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpint (hoga_order_get_state (slow), ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 2);
  fx_free (fx);
}

static void
test_unknown_cancel (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) first = NULL;
  g_autoptr(HogaOrder) second = NULL;
  g_autoptr(HogaOrder) cancel_first = NULL;
  g_autoptr(HogaOrder) cancel_second = NULL;
  HogaOrderSnapshot working;
  Op op = { 0 };

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  fake_broker_push_receipt (fx->broker, "0000002", NULL);
  first = buy_limit (fx, "005930", 10, 70000);
  second = buy_limit (fx, "000660", 3, 150000);

  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN, "timed out");
  hoga_order_book_cancel_async (fx->book, first, 0, NULL, NULL, submit_done_cb, &op);
  cancel_first = wait_op (&op);
  memset (&op, 0, sizeof op);
  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN, "timed out");
  hoga_order_book_cancel_async (fx->book, second, 0, NULL, NULL, submit_done_cb, &op);
  cancel_second = wait_op (&op);
  g_assert_cmpint (hoga_order_get_state (cancel_first), ==, HOGA_ORDER_STATE_UNKNOWN);
  g_assert_cmpint (hoga_order_get_state (cancel_second), ==, HOGA_ORDER_STATE_UNKNOWN);

  /* The first no longer works at the broker: its cancel went through. The second still
   * works in full: its cancel never arrived. */
  working = row_of ("0000002", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "000660", 3, 150000,
                    0, 0);
  fake_broker_set_orders (fx->broker, FALSE, &working, 1);
  g_assert_cmpint (reconcile (fx->book), ==, 1);
  g_assert_cmpint (hoga_order_get_state (cancel_first), ==, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpint (hoga_order_get_state (first), ==, HOGA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (reconcile (fx->book), ==, 0);
  g_assert_cmpint (hoga_order_get_state (cancel_second), ==, HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpint (hoga_order_get_state (second), ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 4);
  fx_free (fx);
}

static void
test_cancel_chain (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;
  g_autoptr(HogaOrder) cancel = NULL;
  const FakeCall *call;
  Op op = { 0 };

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  order = buy_limit (fx, "005930", 10, 70000);
  emit_fill (fx, "0000001", "1", 10, 6, 4, 70000);
  wait_state (order, HOGA_ORDER_STATE_PARTIAL);

  fake_broker_push_receipt (fx->broker, "0000002", "0000001");
  hoga_order_book_cancel_async (fx->book, order, 0, "unfilled-timeout", NULL,
                                submit_done_cb, &op);
  cancel = wait_op (&op);
  call = g_ptr_array_index (fake_broker_get_calls (fx->broker), 1);
  g_assert_cmpint (call->kind, ==, FAKE_CALL_CANCEL);
  g_assert_cmpstr (call->orig_ord_no, ==, "0000001");
  g_assert_cmpint (call->qty, ==, 6);
  g_assert_cmpint (hoga_order_get_kind (cancel), ==, HOGA_ORDER_KIND_CANCEL);
  g_assert_cmpint (hoga_order_get_state (cancel), ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpstr (hoga_order_get_orig_ord_no (cancel), ==, "0000001");
  g_assert_cmpstr (hoga_order_get_root_ord_no (cancel), ==, "0000001");
  g_assert_cmpstr (hoga_order_get_reason (cancel), ==, "unfilled-timeout");

  /* docs/hoga-exchange.md: 접수 and 확인 for the new number, 취소 for the original. */
  emit (fx, "0000002", HOGA_ORDER_STATUS_RECEIVED, 6, 0, NULL, 0, 0);
  emit (fx, "0000002", HOGA_ORDER_STATUS_CONFIRMED, 6, 0, NULL, 0, 0);
  emit (fx, "0000001", HOGA_ORDER_STATUS_CANCELLED, 10, 0, NULL, 0, 0);
  wait_state (order, HOGA_ORDER_STATE_CANCELLED);
  wait_state (cancel, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 4);

  /* Cancelling what is over is refused without a request. */
  memset (&op, 0, sizeof op);
  hoga_order_book_cancel_async (fx->book, order, 0, NULL, NULL, submit_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, WAIT_MS));
  g_assert_error (op.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&op.error);
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 2);
  fx_free (fx);
}

static void
test_modify_chain (void)
{
  Fx *fx = fx_new ();
  g_autoptr(HogaOrder) order = NULL;
  g_autoptr(HogaOrder) modify = NULL;
  const FakeCall *call;
  Op op = { 0 };

  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  order = buy_limit (fx, "005930", 10, 70000);

  fake_broker_push_receipt (fx->broker, "0000002", "0000001");
  hoga_order_book_modify_async (fx->book, order, 0, 69900, "reprice", NULL,
                                submit_done_cb, &op);
  modify = wait_op (&op);
  call = g_ptr_array_index (fake_broker_get_calls (fx->broker), 1);
  g_assert_cmpint (call->kind, ==, FAKE_CALL_MODIFY);
  g_assert_cmpstr (call->orig_ord_no, ==, "0000001");
  g_assert_cmpint (call->qty, ==, 10);
  g_assert_cmpint (call->price, ==, 69900);
  g_assert_cmpint (hoga_order_get_kind (modify), ==, HOGA_ORDER_KIND_MODIFY);
  g_assert_cmpstr (hoga_order_get_root_ord_no (modify), ==, "0000001");

  emit (fx, "0000002", HOGA_ORDER_STATUS_RECEIVED, 10, 10, NULL, 0, 0);
  emit (fx, "0000002", HOGA_ORDER_STATUS_CONFIRMED, 10, 10, NULL, 0, 0);
  emit (fx, "0000001", HOGA_ORDER_STATUS_CONFIRMED, 10, 0, NULL, 0, 0);
  wait_state (order, HOGA_ORDER_STATE_CANCELLED);
  g_assert_cmpint (hoga_order_get_state (modify), ==, HOGA_ORDER_STATE_ACCEPTED);

  /* The remainder lives on, and fills, under the new number. */
  emit_fill (fx, "0000002", "1", 10, 0, 10, 69900);
  wait_state (modify, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpint (hoga_order_get_avg_fill_price (modify), ==, 69900);
  g_assert_cmpint (hoga_order_get_filled_qty (order), ==, 0);
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 2);
  fx_free (fx);
}

static void
record_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Op *op = user_data;

  op->n_unknown = hoga_journal_record_order_finish (HOGA_JOURNAL (source), result,
                                                    &op->error);
  op->done = TRUE;
}

static void
fill_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  gboolean is_new;

  hoga_journal_record_fill_finish (HOGA_JOURNAL (source), result, &is_new, &op->error);
  op->done = TRUE;
}

static HogaOrder *
find_order (HogaOrderBook *book,
            const char    *code)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (book)); i++)
    {
      g_autoptr(HogaOrder) order = g_list_model_get_item (G_LIST_MODEL (book), i);

      if (g_str_equal (hoga_order_get_code (order), code))
        return order;
    }
  return NULL;
}

static int
kst_seconds_now (void)
{
  g_autoptr(GDateTime) now = hoga_krx_now ();

  return g_date_time_get_hour (now) * 3600 + g_date_time_get_minute (now) * 60
         + g_date_time_get_second (now);
}

static void
test_restart (void)
{
  Fx *fx = fx_new ();
  g_autoptr(FakeBroker) broker = fake_broker_new ();
  g_autoptr(HogaJournal) journal = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  g_autoptr(HogaJournalSnapshot) after = NULL;
  g_autoptr(HogaOrderBook) book = NULL;
  g_autoptr(HogaOrder) a = NULL;
  g_autoptr(HogaOrder) d = NULL;
  g_autoptr(HogaOrder) e = NULL;
  g_autoptr(HogaOrder) f = NULL;
  HogaOrderRecord pending = { 0 };
  HogaFillRecord late_fill = { 0 };
  HogaOrderSnapshot working[2], filled[3];
  guint n_filled = 2;
  gint64 fills_qty = 0;
  Op sent = { 0 };
  Op op = { 0 };

  /* The first run: A accepted with a fill, B sent with no reply, C journaled and not yet
   * sent, D unknown, E filled, F accepted (and cancelled from HTS while Hoga was down). */
  fake_broker_push_receipt (fx->broker, "0000001", NULL);
  a = buy_limit (fx, "005930", 10, 70000);
  emit_fill (fx, "0000001", "1", 10, 7, 3, 70000);
  wait_state (a, HOGA_ORDER_STATE_PARTIAL);

  fake_broker_push_hang (fx->broker);
  submit_start (fx->book, HOGA_SIDE_SELL, HOGA_ORDER_TYPE_MARKET, "000660", 5, 0, &sent);
  g_assert_true (hx_iterate_until (has_hung_call, fx->broker, WAIT_MS));

  pending.side = HOGA_SIDE_BUY;
  g_strlcpy (pending.code, "035720", sizeof pending.code);
  pending.qty = 7;
  pending.price = 50000;
  pending.type = HOGA_ORDER_TYPE_LIMIT;
  pending.created_at = g_get_real_time ();
  pending.state = HOGA_ORDER_STATE_PENDING;
  hoga_journal_record_order_async (fx->journal, &pending, record_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, WAIT_MS));
  g_assert_no_error (op.error);

  fake_broker_push_error (fx->broker, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN, "timed out");
  d = buy_limit (fx, "005380", 2, 200000);
  g_assert_cmpint (hoga_order_get_state (d), ==, HOGA_ORDER_STATE_UNKNOWN);

  fake_broker_push_receipt (fx->broker, "0000002", NULL);
  e = submit (fx->book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_MARKET, "000270", 1, 0);
  emit_fill (fx, "0000002", "1", 1, 0, 1, 90000);
  wait_state (e, HOGA_ORDER_STATE_FILLED);

  fake_broker_push_receipt (fx->broker, "0000006", NULL);
  f = buy_limit (fx, "068270", 4, 180000);
  g_assert_cmpint (hoga_order_get_state (f), ==, HOGA_ORDER_STATE_ACCEPTED);

  /* The crash came between A's second fill reaching the journal and A's update. */
  g_strlcpy (late_fill.ord_no, "0000001", sizeof late_fill.ord_no);
  g_strlcpy (late_fill.fill_no, "2", sizeof late_fill.fill_no);
  late_fill.qty = 2;
  late_fill.price = 70100;
  memset (&op, 0, sizeof op);
  hoga_journal_record_fill_async (fx->journal, &late_fill, fill_done_cb, &op);
  g_assert_true (hx_iterate_until (op_done, &op, WAIT_MS));
  g_assert_no_error (op.error);
  g_assert_cmpuint (fake_broker_count_calls (fx->broker, FAKE_CALL_PLACE), ==, 5);

  /* The crash: the first book is gone mid-request (its hung call never completes, as
   * with a killed process), and the journal is reopened. */
  g_signal_handlers_disconnect_by_data (fx->book, fx);
  g_clear_object (&fx->book);
  close_journal (fx->journal);
  g_clear_object (&fx->journal);
  journal = open_journal (fx->path);
  snapshot = load_journal (journal);
  g_assert_cmpuint (snapshot->orders->len, ==, 5);

  book = book_new (fx, HOGA_BROKER (broker), journal);
  hoga_order_book_load (book, snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (book)), ==, 5);
  g_clear_object (&a);
  g_clear_object (&d);
  a = g_object_ref (find_order (book, "005930"));
  d = g_object_ref (find_order (book, "005380"));
  /* A's journaled fills are its truth; B and C may or may not have left. */
  wait_filled (a, 5);
  g_assert_cmpint (hoga_order_get_state (a), ==, HOGA_ORDER_STATE_PARTIAL);
  wait_state (find_order (book, "000660"), HOGA_ORDER_STATE_UNKNOWN);
  wait_state (find_order (book, "035720"), HOGA_ORDER_STATE_UNKNOWN);
  g_assert_cmpint (hoga_order_get_state (d), ==, HOGA_ORDER_STATE_UNKNOWN);
  g_assert_cmpuint (hoga_order_book_get_n_unknown (book), ==, 3);

  /* The broker meanwhile: A one more share filled, B (sent after all) filled, C never
   * arrived, D working, F gone. */
  working[0] = row_of ("0000001", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", 10, 70000,
                       6, (3 * 70000 + 2 * 70100 + 70300) / 6);
  working[1] = row_of ("0000004", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005380", 2, 200000,
                       0, 0);
  filled[0] = working[0];
  filled[1] = row_of ("0000003", HOGA_SIDE_SELL, HOGA_ORDER_TYPE_MARKET, "000660", 5, 0,
                      5, 150000);
  /* An order like C, but from an hour earlier: not C. */
  if (kst_seconds_now () > 3600 + 60)
    {
      filled[2] = row_of ("0000000", HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "035720", 7,
                          50000, 7, 50000);
      filled[2].hhmmss = 1;
      n_filled = 3;
    }
  fake_broker_set_orders (broker, FALSE, working, 2);
  fake_broker_set_orders (broker, TRUE, filled, n_filled);

  g_assert_cmpint (reconcile (book), ==, 1);
  g_assert_cmpint (reconcile (book), ==, 0);

  g_assert_cmpint (hoga_order_get_state (a), ==, HOGA_ORDER_STATE_PARTIAL);
  g_assert_cmpint (hoga_order_get_filled_qty (a), ==, 6);
  g_assert_cmpint (hoga_order_get_state (find_order (book, "000660")), ==,
                   HOGA_ORDER_STATE_FILLED);
  g_assert_cmpstr (hoga_order_get_ord_no (find_order (book, "000660")), ==, "0000003");
  g_assert_cmpint (hoga_order_get_avg_fill_price (find_order (book, "000660")), ==, 150000);
  g_assert_cmpint (hoga_order_get_state (find_order (book, "035720")), ==,
                   HOGA_ORDER_STATE_REJECTED);
  g_assert_cmpint (hoga_order_get_state (d), ==, HOGA_ORDER_STATE_ACCEPTED);
  g_assert_cmpstr (hoga_order_get_ord_no (d), ==, "0000004");
  g_assert_cmpint (hoga_order_get_state (find_order (book, "068270")), ==,
                   HOGA_ORDER_STATE_CANCELLED);

  /* No request at all after the restart; the first run sent A, B, D, E and F only. */
  g_assert_cmpuint (broker->calls->len, ==, 4);
  g_assert_cmpuint (n_order_calls (broker), ==, 0);
  g_assert_cmpuint (n_order_calls (fx->broker), ==, 5);

  /* Every fill is in the journal once: A's three (the last from the broker's list), B's. */
  g_clear_object (&book);
  close_journal (journal);
  g_clear_object (&journal);
  journal = open_journal (fx->path);
  after = load_journal (journal);
  close_journal (journal);
  g_assert_cmpuint (after->orders->len, ==, 2);
  for (guint i = 0; i < after->fills->len; i++)
    {
      const HogaFillRecord *fill = &g_array_index (after->fills, HogaFillRecord, i);

      if (g_str_equal (fill->ord_no, "0000001"))
        fills_qty += fill->qty;
    }
  g_assert_cmpint (fills_qty, ==, 6);

  /* The first run's hung request dies with its process. */
  g_assert_true (fake_broker_complete_error (fx->broker, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN,
                                             "the process was killed"));
  g_test_expect_message ("hoga-orders", G_LOG_LEVEL_WARNING, "*could not be journaled*");
  g_assert_true (hx_iterate_until (op_done, &sent, WAIT_MS));
  g_test_assert_expected_messages ();
  g_clear_object (&sent.order);
  fx_free (fx);
}

/* ---- end to end on hoga-exchange --------------------------------------------------- */

static gboolean
is_online (gpointer data)
{
  return hoga_broker_get_state (data) == HOGA_CONNECTION_ONLINE;
}

static guint
exchange_orders_of (HxServer   *server,
                    const char *code)
{
  g_autoptr(JsonObject) reply = hx_control (server, "{\"cmd\":\"orders\"}");
  JsonArray *orders = hx_array (reply, "orders");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_str_equal (hx_str (order, "code"), code))
        n++;
    }
  return n;
}

static void
test_exchange (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(KiwoomBroker) broker = kiwoom_broker_new (server->rest_url, server->ws_url,
                                                      HX_TEST_APPKEY, HX_TEST_SECRETKEY);
  Fx *fx = fx_new ();
  g_autoptr(HogaOrderBook) book = NULL;
  g_autoptr(HogaOrder) bought = NULL;
  g_autoptr(HogaOrder) unknown = NULL;
  Op op = { 0 };

  hoga_broker_start (HOGA_BROKER (broker));
  g_assert_true (hx_iterate_until (is_online, broker, 10000));
  book = book_new (fx, HOGA_BROKER (broker), fx->journal);

  bought = submit (book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_MARKET, HX_CODE_A, 3, 0);
  wait_state (bought, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpint (hoga_order_get_filled_qty (bought), ==, 3);
  g_assert_cmpint (hoga_order_get_avg_fill_price (bought), >, 0);
  g_assert_cmpuint (exchange_orders_of (server, HX_CODE_A), ==, 1);

  /* The exchange takes the order and never answers: the request times out. */
  kiwoom_rest_set_timeout (kiwoom_broker_get_rest (broker), 1);
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":true}");
  submit_start (book, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_MARKET, HX_CODE_B, 2, 0, &op);
  unknown = wait_op (&op);
  g_assert_cmpint (hoga_order_get_state (unknown), ==, HOGA_ORDER_STATE_UNKNOWN);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":false}");
  kiwoom_rest_set_timeout (kiwoom_broker_get_rest (broker), 10);
  g_assert_cmpint (reconcile (book), ==, 0);
  wait_state (unknown, HOGA_ORDER_STATE_FILLED);
  g_assert_cmpuint (strlen (hoga_order_get_ord_no (unknown)), ==, 7);
  g_assert_cmpint (hoga_order_get_filled_qty (unknown), ==, 2);
  g_assert_cmpuint (exchange_orders_of (server, HX_CODE_B), ==, 1);

  g_clear_object (&book);
  hoga_broker_stop (HOGA_BROKER (broker));
  fx_free (fx);
  hx_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/engine/orders/journal-before-send", test_journal_before_send);
  hx_test_add ("/engine/orders/fills-to-filled", test_fills_to_filled);
  hx_test_add ("/engine/orders/duplicate-fill", test_duplicate_fill);
  hx_test_add ("/engine/orders/costs-once", test_costs_once);
  hx_test_add ("/engine/orders/event-before-receipt", test_event_before_receipt);
  hx_test_add ("/engine/orders/rejected", test_rejected);
  hx_test_add ("/engine/orders/not-sent", test_not_sent);
  hx_test_add ("/engine/orders/unknown-adopted", test_unknown_adopted);
  hx_test_add ("/engine/orders/unknown-not-found", test_unknown_not_found);
  hx_test_add ("/engine/orders/unknown-twin-in-flight", test_unknown_twin_in_flight);
  hx_test_add ("/engine/orders/unknown-cancel", test_unknown_cancel);
  hx_test_add ("/engine/orders/cancel-chain", test_cancel_chain);
  hx_test_add ("/engine/orders/modify-chain", test_modify_chain);
  hx_test_add ("/engine/orders/restart", test_restart);
  hx_test_add ("/engine/orders/exchange", test_exchange);

  return g_test_run ();
}
