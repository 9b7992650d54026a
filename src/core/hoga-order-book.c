/* hoga-order-book.c — every order of the session, its state machine and reconciliation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each order has two copies of its record: the entry's, which is the latest state and is
 * what the next decision starts from, and the HogaOrder's, which is what the journal has
 * committed. A change is made to the entry, written to the journal, and copied to the
 * HogaOrder in the write's completion; the journal completes in submission order, so the
 * HogaOrder goes through the same states in the same order, each one durable when shown.
 *
 * 00 events (and the fills reconciliation derives from the broker's lists) go through one
 * queue, handled one at a time: a fill waits for the journal to say whether it is new
 * before it is applied, and nothing may overtake it meanwhile, or a 취소 right behind a
 * 체결 would be applied before it. Events for an order number the book does not know (yet)
 * are kept: the REST receipt can arrive after the order's first 00 events, and an order
 * whose receipt never came is identified by reconciliation later.
 */
#define G_LOG_DOMAIN "hoga-orders"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "hoga-krx.h"
#include "hoga-order-book.h"

/* Events for order numbers nobody knows: enough for every order in flight, bounded because
 * orders placed elsewhere (HTS, phone) also report here and are never claimed. */
#define MAX_UNCLAIMED 256

/* A broker order timed before the intent was created (minus clock skew between this
 * machine and the broker) cannot be it. */
#define TIME_SLACK_S 30

#define DEFAULT_RECONCILE_INTERVAL_S 10

typedef struct {
  HogaOrder       *order;      /* what the journal has committed */
  HogaOrderRecord  rec;        /* the latest state, committed or on its way */
  GTask           *task;       /* submit/cancel/modify waiting for the request's outcome */
  gboolean         in_flight;  /* the request is out, its reply not in */
  guint            misses;     /* reconciliation cycles that did not find it */
  gint64           first_miss_us;
  gint64           new_costs;  /* fee and tax added to rec and not yet journaled */
} Entry;

typedef struct {
  HogaOrderEvent event;
  gboolean       catch_up;     /* from the broker's lists: event.unfilled_qty and
                                  event.cum_amount say where the order stands */
} Item;

struct _HogaOrderBook
{
  GObject       parent_instance;

  HogaBroker   *broker;
  HogaJournal  *journal;
  GPtrArray    *entries;       /* Entry*, oldest first: the list model */
  GQueue        items;         /* Item*, waiting to be handled */
  gboolean      busy;          /* an item waits for the journal */
  GQueue        unclaimed;     /* HogaOrderEvent*, oldest first */
  guint         n_writes;      /* journal calls not completed */
  GPtrArray    *waiters;       /* GTask*, completed when nothing is pending */
  guint         reconcile_interval_s;
  HogaOrderBookClockFunc clock;      /* NULL: the wall clock */
  gpointer      clock_data;
};

static void hoga_order_book_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaOrderBook, hoga_order_book, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hoga_order_book_list_model_init))

enum {
  SIGNAL_ORDER_UPDATED,
  SIGNAL_FILL,
  SIGNAL_COSTS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  HogaOrderBook   *self;
  Entry           *entry;
  HogaOrderRecord  rec;
  gint64           fill_qty;   /* a new fill to announce once this write is on disk */
  gint64           fill_price;
  gint64           costs;      /* fee and tax to announce, likewise */
} Write;

typedef struct {
  HogaOrderBook *self;
  Entry         *entry;
  Item          *item;
  gint64         qty;
  gint64         price;
} FillWrite;

/* An entry, kept alive by a reference to its book. */
typedef struct {
  HogaOrderBook *self;
  Entry         *entry;
} EntryRef;

typedef struct {
  GPtrArray *working;          /* HogaOrderSnapshot*, ka10075 */
  GPtrArray *filled;           /* HogaOrderSnapshot*, ka10076 */
} Reconcile;

static void process_items (HogaOrderBook *self);

#ifdef HOGA_ENABLE_CRASH_POINTS
/* DESIGN.md §1.3 promises that a crash at any instant of a buy loses no fill and duplicates
 * no order; tests/test-crash-windows.c proves it by killing hoga here, at the instant
 * HOGA_CRASH_AT names, one window of a new order at a time. SIGKILL, so nothing gets to
 * clean up. Builds for users leave these out (-Dcrash_points=false). */
static void
crash_point (const char            *name,
             const HogaOrderRecord *rec)
{
  if (hoga_order_record_get_kind (rec) == HOGA_ORDER_KIND_NEW
      && g_strcmp0 (g_getenv ("HOGA_CRASH_AT"), name) == 0)
    raise (SIGKILL);
}
#else
#define crash_point(name, rec) ((void) 0)
#endif

/* The journal's texts are cut at a character boundary. */
static void
copy_text (char       *dest,
           gsize       size,
           const char *src)
{
  gsize len = strlen (src);

  if (len >= size)
    {
      len = size - 1;
      while (len > 0 && (src[len] & 0xC0) == 0x80)
        len--;
    }
  memcpy (dest, src, len);
  dest[len] = '\0';
}

static EntryRef *
entry_ref_new (HogaOrderBook *self,
               Entry         *entry)
{
  EntryRef *ref = g_new (EntryRef, 1);

  ref->self = g_object_ref (self);
  ref->entry = entry;
  return ref;
}

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->order);
  g_clear_object (&entry->task);
  g_free (entry);
}

static Entry *
find_by_ord_no (HogaOrderBook *self,
                const char    *ord_no)
{
  if (ord_no == NULL || ord_no[0] == '\0')
    return NULL;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (strcmp (entry->rec.ord_no, ord_no) == 0)
        return entry;
    }
  return NULL;
}

static guint
count_unknown (HogaOrderBook *self)
{
  guint n = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->rec.state == HOGA_ORDER_STATE_UNKNOWN)
        n++;
    }
  return n;
}

static void
complete_waiters_if_idle (HogaOrderBook *self)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (self->n_writes > 0 || self->busy || !g_queue_is_empty (&self->items)
      || self->waiters->len == 0)
    return;

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    g_task_return_int (g_ptr_array_index (waiters, i), count_unknown (self));
}

static void
append_entry (HogaOrderBook *self,
              Entry         *entry)
{
  entry->order = hoga_order_new (&entry->rec);
  g_ptr_array_add (self->entries, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

/* ---- journal writes -------------------------------------------------------------- */

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree Write *job = user_data;
  g_autoptr(HogaOrderBook) self = job->self;
  g_autoptr(GError) error = NULL;
  Entry *entry = job->entry;

  self->n_writes--;

  /* The broker's answer is a fact whether or not the disk took it; hiding it would only
   * make the user act on a state that is not true. */
  if (!hoga_journal_write_finish (HOGA_JOURNAL (source), result, &error))
    g_warning ("Order %" G_GINT64_FORMAT " (%s) is %s but could not be journaled: %s",
               job->rec.id, job->rec.code, hoga_order_state_to_string (job->rec.state),
               error->message);

  /* A fill is on disk and nobody has heard of it yet: what it changes elsewhere (the
   * engine's position) is written after it, so a crash here must lose nothing either. */
  if (job->fill_qty > 0)
    crash_point ("after-fill", &job->rec);

  /* Entries live as long as the book, and the book is held by its writes. */
  hoga_order_set_record (entry->order, &job->rec);
  g_signal_emit (self, signals[SIGNAL_ORDER_UPDATED], 0, entry->order);
  if (job->fill_qty > 0)
    g_signal_emit (self, signals[SIGNAL_FILL], 0, entry->order, job->fill_qty,
                   job->fill_price);
  if (job->costs > 0)
    g_signal_emit (self, signals[SIGNAL_COSTS], 0, entry->order, job->costs);

  if (entry->task != NULL && job->rec.state != HOGA_ORDER_STATE_PENDING
      && job->rec.state != HOGA_ORDER_STATE_SENT)
    {
      g_autoptr(GTask) task = g_steal_pointer (&entry->task);

      g_task_return_pointer (task, g_object_ref (entry->order), g_object_unref);
    }

  complete_waiters_if_idle (self);
}

/* Journals the entry's record as it is now; the HogaOrder follows on completion. */
static void
journal_entry_full (HogaOrderBook *self,
                    Entry         *entry,
                    gint64         fill_qty,
                    gint64         fill_price)
{
  Write *job = g_new0 (Write, 1);

  job->self = g_object_ref (self);
  job->entry = entry;
  job->rec = entry->rec;
  job->fill_qty = fill_qty;
  job->fill_price = fill_price;
  job->costs = entry->new_costs;
  entry->new_costs = 0;
  self->n_writes++;
  hoga_journal_update_order_async (self->journal, &job->rec, write_done_cb, job);
}

static void
journal_entry (HogaOrderBook *self,
               Entry         *entry)
{
  journal_entry_full (self, entry, 0, 0);
}

static void
set_state (HogaOrderBook  *self,
           Entry          *entry,
           HogaOrderState  state,
           const char     *error)
{
  entry->rec.state = state;
  if (error != NULL)
    copy_text (entry->rec.error, sizeof entry->rec.error, error);
  journal_entry (self, entry);
}

/* ---- 00 events and fills --------------------------------------------------------- */

/* FIDs 938/939 (and ka10076's costs) are the order's running totals, not one fill's: the
 * highest figures seen are the order's, so the same figures coming again (a repeated
 * event, a fill that reconciliation also reports) add nothing. */
static void
take_costs (Entry                *entry,
            const HogaOrderEvent *event)
{
  gint64 fee = MAX (entry->rec.fee, event->fee);
  gint64 tax = MAX (entry->rec.tax, event->tax);

  entry->new_costs += (fee - entry->rec.fee) + (tax - entry->rec.tax);
  entry->rec.fee = fee;
  entry->rec.tax = tax;
}

/* Journals costs that no other write of the entry carried. */
static void
journal_costs (HogaOrderBook *self,
               Entry         *entry)
{
  if (entry->new_costs > 0)
    journal_entry (self, entry);
}

static void
queue_item (HogaOrderBook        *self,
            const HogaOrderEvent *event,
            gboolean              catch_up)
{
  Item *item = g_new (Item, 1);

  item->event = *event;
  item->catch_up = catch_up;
  g_queue_push_tail (&self->items, item);
}

static void
keep_unclaimed (HogaOrderBook        *self,
                const HogaOrderEvent *event)
{
  if (g_queue_get_length (&self->unclaimed) >= MAX_UNCLAIMED)
    g_free (g_queue_pop_head (&self->unclaimed));
  g_queue_push_tail (&self->unclaimed, g_memdup2 (event, sizeof *event));
}

/* The events that arrived for @ord_no before the book knew the number, in their order. */
static void
claim_events (HogaOrderBook *self,
              const char    *ord_no)
{
  GList *link = self->unclaimed.head;

  while (link != NULL)
    {
      GList *next = link->next;
      HogaOrderEvent *event = link->data;

      if (strcmp (event->ord_no, ord_no) == 0)
        {
          queue_item (self, event, FALSE);
          g_free (event);
          g_queue_delete_link (&self->unclaimed, link);
        }
      link = next;
    }
}

static HogaOrderState
state_after_fill (const HogaOrderRecord *rec,
                  gint64                 unfilled_qty)
{
  /* A fill reported after the order ended (a race with a cancel) adds to what was
   * executed; it does not revive the order. */
  if (hoga_order_state_is_terminal (rec->state))
    return rec->state;
  if (unfilled_qty == 0 || rec->filled_qty >= rec->qty)
    return HOGA_ORDER_STATE_FILLED;
  return HOGA_ORDER_STATE_PARTIAL;
}

static void
fill_recorded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree FillWrite *fw = user_data;
  g_autoptr(HogaOrderBook) self = fw->self;
  g_autofree Item *item = fw->item;
  g_autoptr(GError) error = NULL;
  Entry *entry = fw->entry;
  gboolean is_new = FALSE;

  self->n_writes--;
  self->busy = FALSE;

  if (!hoga_journal_record_fill_finish (HOGA_JOURNAL (source), result, &is_new, &error))
    {
      /* Applying a fill that is not on disk could count it twice after a restart;
       * reconciliation brings the order up to the broker's figures later. */
      g_warning ("Fill %s of order %s could not be journaled: %s",
                 item->event.fill_no, item->event.ord_no, error->message);
    }
  else if (is_new)
    {
      entry->rec.filled_qty += fw->qty;
      entry->rec.filled_amount += fw->qty * fw->price;
      entry->rec.state = state_after_fill (&entry->rec,
                                           item->event.order_qty > 0
                                           ? item->event.unfilled_qty : -1);
      journal_entry_full (self, entry, fw->qty, fw->price);
    }
  journal_costs (self, entry);

  process_items (self);
  complete_waiters_if_idle (self);
}

/* TRUE when the item waits for the journal. */
static gboolean
handle_fill (HogaOrderBook *self,
             Entry         *entry,
             Item          *item)
{
  const HogaOrderEvent *event = &item->event;
  gint64 cum_qty = event->order_qty - event->unfilled_qty;
  HogaFillRecord fill = { 0 };
  FillWrite *fw;
  gint64 qty = event->fill_qty;
  gint64 price = event->fill_price;

  /* What the broker's lists already accounted for (by a catch-up fill) is not added again
   * when its 00 event comes late. */
  if (event->order_qty > 0 && cum_qty <= entry->rec.filled_qty)
    {
      g_debug ("Order %s: fill %s is already counted", event->ord_no, event->fill_no);
      return FALSE;
    }

  if (item->catch_up)
    {
      /* The lists give totals, not executions: the missing part becomes one fill named by
       * the total it brings the order to, so the same catch-up is recorded once. */
      qty = cum_qty - entry->rec.filled_qty;
      price = MAX (0, (event->cum_amount - entry->rec.filled_amount) / qty);
      g_snprintf (fill.fill_no, sizeof fill.fill_no, "R%" G_GINT64_FORMAT, cum_qty);
    }
  else
    {
      if (event->fill_no[0] == '\0' || qty <= 0)
        return FALSE;
      copy_text (fill.fill_no, sizeof fill.fill_no, event->fill_no);
    }

  copy_text (fill.ord_no, sizeof fill.ord_no, entry->rec.ord_no);
  fill.qty = qty;
  fill.price = price;

  fw = g_new0 (FillWrite, 1);
  fw->self = g_object_ref (self);
  fw->entry = entry;
  fw->item = item;
  fw->qty = qty;
  fw->price = price;
  self->n_writes++;
  hoga_journal_record_fill_async (self->journal, &fill, fill_recorded_cb, fw);
  return TRUE;
}

/* TRUE when the item waits for the journal (and now belongs to it). */
static gboolean
handle_status (HogaOrderBook *self,
               Entry         *entry,
               Item          *item)
{
  const HogaOrderEvent *event = &item->event;
  HogaOrderRecord *rec = &entry->rec;

  if (event->name[0] != '\0')
    hoga_order_set_name (entry->order, event->name);

  switch (event->status)
    {
    case HOGA_ORDER_STATUS_RECEIVED:
      /* The number came with the receipt or from reconciliation, which made the order
       * ACCEPTED already: a 접수 ahead of them waited among the unclaimed events. */
      return FALSE;

    case HOGA_ORDER_STATUS_FILLED:
      return handle_fill (self, entry, item);

    case HOGA_ORDER_STATUS_CONFIRMED:
      /* On a cancel's own number: the broker carried it out. On an order a modify moved
       * away in full: that order is over, its remainder lives on under the new number. */
      if (hoga_order_record_get_kind (rec) == HOGA_ORDER_KIND_CANCEL)
        {
          if (rec->state != HOGA_ORDER_STATE_FILLED)
            set_state (self, entry, HOGA_ORDER_STATE_FILLED, NULL);
        }
      else if (event->unfilled_qty == 0 && !hoga_order_state_is_terminal (rec->state))
        set_state (self, entry, HOGA_ORDER_STATE_CANCELLED, NULL);
      return FALSE;

    case HOGA_ORDER_STATUS_CANCELLED:
      if (event->unfilled_qty == 0 && !hoga_order_state_is_terminal (rec->state))
        set_state (self, entry, HOGA_ORDER_STATE_CANCELLED, NULL);
      return FALSE;

    case HOGA_ORDER_STATUS_REJECTED:
      if (!hoga_order_state_is_terminal (rec->state))
        set_state (self, entry, HOGA_ORDER_STATE_REJECTED,
                   event->reject_reason[0] != '\0' ? event->reject_reason
                                                   : _("Rejected by the broker"));
      return FALSE;

    case HOGA_ORDER_STATUS_UNKNOWN:
    default:
      g_debug ("Order %s: 00 event without a known status", event->ord_no);
      return FALSE;
    }
}

/* TRUE when the item waits for the journal (and now belongs to it). */
static gboolean
handle_item (HogaOrderBook *self,
             Item          *item)
{
  Entry *entry = find_by_ord_no (self, item->event.ord_no);

  if (entry == NULL)
    {
      keep_unclaimed (self, &item->event);
      return FALSE;
    }

  take_costs (entry, &item->event);
  if (handle_status (self, entry, item))
    return TRUE;
  journal_costs (self, entry);
  return FALSE;
}

static void
process_items (HogaOrderBook *self)
{
  while (!self->busy && !g_queue_is_empty (&self->items))
    {
      Item *item = g_queue_pop_head (&self->items);

      if (handle_item (self, item))
        self->busy = TRUE;
      else
        g_free (item);
    }
}

static void
order_event_cb (HogaBroker           *broker,
                const HogaOrderEvent *event,
                HogaOrderBook        *self)
{
  queue_item (self, event, FALSE);
  process_items (self);
  complete_waiters_if_idle (self);
}

/* ---- sending --------------------------------------------------------------------- */

static void
order_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree EntryRef *ref = user_data;
  g_autoptr(HogaOrderBook) self = ref->self;
  g_autofree HogaOrderReceipt *receipt = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry = ref->entry;

  /* Here rather than right after the request is issued in send_entry(): the request only
   * leaves from the main loop, so a crash there would not have sent it. Its reply being
   * here proves it reached the broker. */
  crash_point ("after-send", &entry->rec);
  receipt = hoga_broker_order_finish (HOGA_BROKER (source), result, &error);
  entry->in_flight = FALSE;

  if (receipt != NULL)
    {
      crash_point ("after-reply", &entry->rec);
      copy_text (entry->rec.ord_no, sizeof entry->rec.ord_no, receipt->ord_no);
      if (receipt->root_ord_no[0] != '\0')
        copy_text (entry->rec.root_ord_no, sizeof entry->rec.root_ord_no,
                   receipt->root_ord_no);
      else if (entry->rec.root_ord_no[0] == '\0')
        copy_text (entry->rec.root_ord_no, sizeof entry->rec.root_ord_no, receipt->ord_no);
      entry->rec.error[0] = '\0';
      set_state (self, entry, HOGA_ORDER_STATE_ACCEPTED, NULL);
      claim_events (self, entry->rec.ord_no);
      process_items (self);
    }
  else if (g_error_matches (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_RATE_LIMITED)
           || g_error_matches (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK))
    {
      /* Definitely not executed: whether to try again is the engine's decision.
       * Translators: %s is the broker's or the network's message. */
      g_autofree char *text = g_strdup_printf (_("Not sent: %s"), error->message);

      set_state (self, entry, HOGA_ORDER_STATE_REJECTED, text);
    }
  else if (error->domain == HOGA_BROKER_ERROR
           && error->code != HOGA_BROKER_ERROR_OUTCOME_UNKNOWN
           && error->code != HOGA_BROKER_ERROR_PROTOCOL)
    set_state (self, entry, HOGA_ORDER_STATE_REJECTED, error->message);
  else
    {
      /* It may have been executed: only reconciliation can tell, never a resend.
       * Translators: %s says what went wrong, e.g. a timeout. */
      g_autofree char *text = g_strdup_printf (_("Outcome unknown: %s"), error->message);

      set_state (self, entry, HOGA_ORDER_STATE_UNKNOWN, text);
    }

  complete_waiters_if_idle (self);
}

static void
send_entry (HogaOrderBook *self,
            Entry         *entry)
{
  const HogaOrderRecord *rec = &entry->rec;
  EntryRef *ref = entry_ref_new (self, entry);

  /* Order requests are never cancelled: a request cut off in flight has an unknown
   * outcome, which is worse than waiting for its reply. */
  entry->in_flight = TRUE;
  switch (hoga_order_record_get_kind (rec))
    {
    case HOGA_ORDER_KIND_NEW:
      {
        HogaOrderRequest request = {
          .side = rec->side,
          .type = rec->type,
          .venue = rec->venue,
          .qty = rec->qty,
          .price = rec->price,
        };

        memcpy (request.code, rec->code, sizeof request.code);
        hoga_broker_place_order_async (self->broker, &request, NULL, order_reply_cb,
                                       ref);
      }
      break;
    case HOGA_ORDER_KIND_MODIFY:
      hoga_broker_modify_order_async (self->broker, rec->orig_ord_no, rec->code, rec->qty,
                                      rec->price, NULL, order_reply_cb, ref);
      break;
    case HOGA_ORDER_KIND_CANCEL:
      hoga_broker_cancel_order_async (self->broker, rec->orig_ord_no, rec->code, rec->qty,
                                      NULL, order_reply_cb, ref);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
record_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaOrderBook *self = g_task_get_source_object (task);
  const HogaOrderRecord *intent = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 id;
  Entry *entry;

  self->n_writes--;
  id = hoga_journal_record_order_finish (HOGA_JOURNAL (source), result, &error);
  if (id <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      complete_waiters_if_idle (self);
      return;
    }

  crash_point ("after-journal", intent);
  /* Durable: only now may the request leave (DESIGN.md §1.3). */
  entry = g_new0 (Entry, 1);
  entry->rec = *intent;
  entry->rec.id = id;
  entry->task = g_object_ref (task);
  append_entry (self, entry);
  send_entry (self, entry);
  set_state (self, entry, HOGA_ORDER_STATE_SENT, NULL);
}

static void
submit_record (HogaOrderBook         *self,
               const HogaOrderRecord *intent,
               GCancellable          *cancellable,
               GAsyncReadyCallback    callback,
               gpointer               user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  HogaOrderRecord *stamped = g_memdup2 (intent, sizeof *intent);

  g_task_set_source_tag (task, hoga_order_book_submit_async);

  /* On the clock the broker's order times follow, so reconciliation can compare them. */
  stamped->created_at = self->clock != NULL ? self->clock (self->clock_data)
                                            : g_get_real_time ();
  g_task_set_task_data (task, stamped, g_free);
  self->n_writes++;
  crash_point ("before-journal", intent);
  hoga_journal_record_order_async (self->journal, g_task_get_task_data (task),
                                   record_done_cb, task);
}

static void
intent_from (HogaOrderRecord *intent,
             Entry           *original,
             const char      *reason)
{
  memset (intent, 0, sizeof *intent);
  intent->side = original->rec.side;
  memcpy (intent->code, original->rec.code, sizeof intent->code);
  intent->type = original->rec.type;
  intent->venue = original->rec.venue;
  copy_text (intent->reason, sizeof intent->reason, reason != NULL ? reason : "");
  intent->state = HOGA_ORDER_STATE_PENDING;
  memcpy (intent->orig_ord_no, original->rec.ord_no, sizeof intent->orig_ord_no);
  memcpy (intent->root_ord_no, original->rec.root_ord_no, sizeof intent->root_ord_no);
}

static Entry *
working_entry_of (HogaOrderBook *self,
                  HogaOrder     *order)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->order == order)
        return (entry->rec.state == HOGA_ORDER_STATE_ACCEPTED
                || entry->rec.state == HOGA_ORDER_STATE_PARTIAL)
               && entry->rec.ord_no[0] != '\0' ? entry : NULL;
    }
  return NULL;
}

/* ---- reconciliation -------------------------------------------------------------- */

static void
reconcile_free (Reconcile *rc)
{
  g_clear_pointer (&rc->working, g_ptr_array_unref);
  g_clear_pointer (&rc->filled, g_ptr_array_unref);
  g_free (rc);
}

static const HogaOrderSnapshot *
row_by_ord_no (GPtrArray  *rows,
               const char *ord_no)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const HogaOrderSnapshot *row = g_ptr_array_index (rows, i);

      if (strcmp (row->ord_no, ord_no) == 0)
        return row;
    }
  return NULL;
}

static int
seconds_of_day (guint32 hhmmss)
{
  return hhmmss / 10000 * 3600 + hhmmss / 100 % 100 * 60 + hhmmss % 100;
}

static int
kst_seconds_of_day (gint64 unix_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) kst = NULL;

  if (utc == NULL)
    return 0;
  kst = g_date_time_to_timezone (utc, hoga_krx_time_zone ());
  return g_date_time_get_hour (kst) * 3600 + g_date_time_get_minute (kst) * 60
         + g_date_time_get_second (kst);
}

static gboolean
row_matches (const HogaOrderRecord   *rec,
             const HogaOrderSnapshot *row)
{
  HogaOrderKind kind = hoga_order_record_get_kind (rec);

  if (strcmp (row->code, rec->code) != 0 || row->side != rec->side || row->kind != kind
      || row->order_qty != rec->qty || row->type != rec->type)
    return FALSE;
  if (rec->type == HOGA_ORDER_TYPE_LIMIT && row->order_price != rec->price)
    return FALSE;
  if (kind == HOGA_ORDER_KIND_MODIFY && strcmp (row->orig_ord_no, rec->orig_ord_no) != 0)
    return FALSE;
  /* The lists hold the whole day: an earlier order with the same figures, finished before
   * a restart and so unknown to the book, must not be taken for this one. */
  if (row->hhmmss != 0 && rec->created_at > 0
      && seconds_of_day (row->hhmmss) < kst_seconds_of_day (rec->created_at) - TIME_SLACK_S)
    return FALSE;
  return TRUE;
}

/* A broker order the book does not know and has not given to another order this cycle. */
static gboolean
row_is_free (HogaOrderBook           *self,
             GHashTable              *taken,
             const HogaOrderSnapshot *row)
{
  return find_by_ord_no (self, row->ord_no) == NULL
         && !g_hash_table_contains (taken, row->ord_no);
}

static const HogaOrderSnapshot *
find_match (HogaOrderBook         *self,
            Reconcile             *rc,
            GHashTable            *taken,
            const HogaOrderRecord *rec)
{
  GPtrArray *lists[] = { rc->filled, rc->working };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      /* The lists run newest first; the oldest candidate is the likeliest for the oldest
       * unknown order, which is served first. */
      for (guint i = lists[l]->len; i > 0; i--)
        {
          const HogaOrderSnapshot *row = g_ptr_array_index (lists[l], i - 1);

          if (row_is_free (self, taken, row) && row_matches (rec, row))
            return row;
        }
    }
  return NULL;
}

/* Brings @ord_no up to the fills the broker's lists report for it. */
static void
queue_catch_up (HogaOrderBook *self,
                Reconcile     *rc,
                const char    *ord_no,
                gint64         order_qty)
{
  const HogaOrderSnapshot *row = row_by_ord_no (rc->filled, ord_no);
  HogaOrderEvent event = { 0 };

  if (row == NULL)
    row = row_by_ord_no (rc->working, ord_no);
  if (row == NULL || row->filled_qty <= 0)
    return;

  memcpy (event.ord_no, row->ord_no, sizeof event.ord_no);
  memcpy (event.code, row->code, sizeof event.code);
  memcpy (event.name, row->name, sizeof event.name);
  event.status = HOGA_ORDER_STATUS_FILLED;
  event.kind = row->kind;
  event.side = row->side;
  event.hhmmss = row->hhmmss;
  event.order_qty = order_qty;
  event.unfilled_qty = order_qty - row->filled_qty;
  event.cum_amount = row->filled_qty * row->fill_price;
  event.fee = row->fee;
  event.tax = row->tax;
  event.received_us = g_get_monotonic_time ();
  queue_item (self, &event, TRUE);
}

static void
adopt (HogaOrderBook           *self,
       Reconcile               *rc,
       Entry                   *entry,
       const HogaOrderSnapshot *row)
{
  g_message ("Order %" G_GINT64_FORMAT " (%s) was found at the broker as %s",
             entry->rec.id, entry->rec.code, row->ord_no);

  copy_text (entry->rec.ord_no, sizeof entry->rec.ord_no, row->ord_no);
  if (entry->rec.root_ord_no[0] == '\0')
    copy_text (entry->rec.root_ord_no, sizeof entry->rec.root_ord_no, row->ord_no);
  entry->rec.error[0] = '\0';
  entry->misses = 0;
  set_state (self, entry, HOGA_ORDER_STATE_ACCEPTED, NULL);
  if (row->name[0] != '\0')
    hoga_order_set_name (entry->order, row->name);
  claim_events (self, entry->rec.ord_no);
  queue_catch_up (self, rc, entry->rec.ord_no, row->order_qty);
}

/* An order with the same figures still waiting for its reply owns a broker row that the
 * book cannot tell apart from the unknown order's yet. */
static gboolean
has_twin_in_flight (HogaOrderBook         *self,
                    const HogaOrderRecord *rec)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      const HogaOrderRecord *other = &entry->rec;

      if (entry->in_flight && strcmp (other->code, rec->code) == 0
          && other->side == rec->side && other->qty == rec->qty && other->type == rec->type
          && other->price == rec->price && strcmp (other->orig_ord_no, rec->orig_ord_no) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A cancel leaves no row of its own in either list; its original shows what it did. */
static gboolean
resolve_cancel (HogaOrderBook *self,
                Reconcile     *rc,
                Entry         *entry)
{
  const char *orig_ord_no = entry->rec.orig_ord_no;
  const HogaOrderSnapshot *filled = row_by_ord_no (rc->filled, orig_ord_no);
  Entry *original = find_by_ord_no (self, orig_ord_no);
  HogaOrderEvent event = { 0 };

  if (row_by_ord_no (rc->working, orig_ord_no) != NULL)
    return FALSE;

  if (original != NULL)
    {
      queue_catch_up (self, rc, orig_ord_no, original->rec.qty);
      memcpy (event.ord_no, orig_ord_no, sizeof event.ord_no);
      event.status = HOGA_ORDER_STATUS_CANCELLED;
      queue_item (self, &event, FALSE);
    }

  if (filled != NULL && filled->filled_qty >= filled->order_qty)
    set_state (self, entry, HOGA_ORDER_STATE_REJECTED,
               _("Nothing left to cancel: the order was filled"));
  else
    set_state (self, entry, HOGA_ORDER_STATE_FILLED, "");
  return TRUE;
}

/* Counts a miss of @entry in this cycle; TRUE on the miss that settles it: the second, at
 * least the reconcile interval after the first. A request still on its way could be
 * missing from one answer; missing from two answers this far apart, it is not there. */
static gboolean
missed (HogaOrderBook *self,
        Entry         *entry,
        gint64         now)
{
  if (entry->misses == 0)
    {
      entry->misses = 1;
      entry->first_miss_us = now;
      return FALSE;
    }
  return now - entry->first_miss_us >= (gint64)self->reconcile_interval_s * G_USEC_PER_SEC;
}

/* A working order that left the broker's working list without filling in full was
 * cancelled or rejected there while the book did not see it (HTS, a restart). A cancel's
 * own number never works; its 확인 or the original's state settles it. */
static void
check_still_working (HogaOrderBook *self,
                     Reconcile     *rc,
                     Entry         *entry,
                     gint64         now)
{
  const HogaOrderSnapshot *filled = row_by_ord_no (rc->filled, entry->rec.ord_no);
  HogaOrderEvent event = { 0 };

  if (hoga_order_record_get_kind (&entry->rec) == HOGA_ORDER_KIND_CANCEL || entry->in_flight)
    return;
  if (row_by_ord_no (rc->working, entry->rec.ord_no) != NULL
      || (filled != NULL && filled->filled_qty >= entry->rec.qty))
    {
      entry->misses = 0;
      return;
    }
  if (!missed (self, entry, now))
    return;

  g_message ("Order %s (%s) is no longer working at the broker", entry->rec.ord_no,
             entry->rec.code);
  /* Behind its catch-up fill, so what did fill is counted first. */
  memcpy (event.ord_no, entry->rec.ord_no, sizeof event.ord_no);
  event.status = HOGA_ORDER_STATUS_CANCELLED;
  queue_item (self, &event, FALSE);
}

static void
resolve (HogaOrderBook *self,
         Reconcile     *rc)
{
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if ((entry->rec.state == HOGA_ORDER_STATE_ACCEPTED
           || entry->rec.state == HOGA_ORDER_STATE_PARTIAL)
          && entry->rec.ord_no[0] != '\0')
        {
          queue_catch_up (self, rc, entry->rec.ord_no, entry->rec.qty);
          check_still_working (self, rc, entry, now);
        }
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      const HogaOrderSnapshot *row;

      if (entry->rec.state != HOGA_ORDER_STATE_UNKNOWN || entry->in_flight
          || has_twin_in_flight (self, &entry->rec))
        continue;

      if (hoga_order_record_get_kind (&entry->rec) == HOGA_ORDER_KIND_CANCEL)
        {
          if (resolve_cancel (self, rc, entry))
            continue;
        }
      else if ((row = find_match (self, rc, taken, &entry->rec)) != NULL)
        {
          g_hash_table_add (taken, (gpointer)row->ord_no);
          adopt (self, rc, entry, row);
          continue;
        }

      if (missed (self, entry, now))
        {
          g_message ("Order %" G_GINT64_FORMAT " (%s) is not at the broker: not executed",
                     entry->rec.id, entry->rec.code);
          set_state (self, entry, HOGA_ORDER_STATE_REJECTED,
                     _("Not found at the broker: not executed"));
        }
    }

  process_items (self);
}

static void
filled_orders_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaOrderBook *self = g_task_get_source_object (task);
  Reconcile *rc = g_task_get_task_data (task);
  GError *error = NULL;

  rc->filled = hoga_broker_orders_finish (HOGA_BROKER (source), result, &error);
  if (rc->filled == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  resolve (self, rc);
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  complete_waiters_if_idle (self);
}

static void
working_orders_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Reconcile *rc = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  rc->working = hoga_broker_orders_finish (HOGA_BROKER (source), result, &error);
  if (rc->working == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  hoga_broker_orders_async (HOGA_BROKER (source), TRUE, cancellable, filled_orders_cb,
                            g_steal_pointer (&task));
}

/* ---- GListModel ------------------------------------------------------------------ */

static GType
hoga_order_book_get_item_type (GListModel *model)
{
  return HOGA_TYPE_ORDER;
}

static guint
hoga_order_book_get_n_items (GListModel *model)
{
  return HOGA_ORDER_BOOK (model)->entries->len;
}

static gpointer
hoga_order_book_get_item (GListModel *model,
                          guint       position)
{
  HogaOrderBook *self = HOGA_ORDER_BOOK (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (((Entry *)g_ptr_array_index (self->entries, position))->order);
}

static void
hoga_order_book_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = hoga_order_book_get_item_type;
  iface->get_n_items = hoga_order_book_get_n_items;
  iface->get_item = hoga_order_book_get_item;
}

/* ---- GObject --------------------------------------------------------------------- */

static void
hoga_order_book_dispose (GObject *object)
{
  HogaOrderBook *self = HOGA_ORDER_BOOK (object);

  g_clear_object (&self->broker);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (hoga_order_book_parent_class)->dispose (object);
}

static void
hoga_order_book_finalize (GObject *object)
{
  HogaOrderBook *self = HOGA_ORDER_BOOK (object);

  g_queue_clear_full (&self->items, g_free);
  g_queue_clear_full (&self->unclaimed, g_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_order_book_parent_class)->finalize (object);
}

static void
hoga_order_book_class_init (HogaOrderBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hoga_order_book_dispose;
  object_class->finalize = hoga_order_book_finalize;

  signals[SIGNAL_ORDER_UPDATED] =
    g_signal_new ("order-updated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HOGA_TYPE_ORDER);
  signals[SIGNAL_FILL] =
    g_signal_new ("fill",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, HOGA_TYPE_ORDER, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_COSTS] =
    g_signal_new ("costs",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, HOGA_TYPE_ORDER, G_TYPE_INT64);
}

static void
hoga_order_book_init (HogaOrderBook *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->reconcile_interval_s = DEFAULT_RECONCILE_INTERVAL_S;
  g_queue_init (&self->items);
  g_queue_init (&self->unclaimed);
}

/* ---- public API ------------------------------------------------------------------ */

HogaOrderBook *
hoga_order_book_new (HogaBroker  *broker,
                     HogaJournal *journal)
{
  HogaOrderBook *self;

  g_return_val_if_fail (HOGA_IS_BROKER (broker), NULL);
  g_return_val_if_fail (HOGA_IS_JOURNAL (journal), NULL);

  self = g_object_new (HOGA_TYPE_ORDER_BOOK, NULL);
  self->broker = g_object_ref (broker);
  self->journal = g_object_ref (journal);
  g_signal_connect_object (broker, "order-event", G_CALLBACK (order_event_cb), self, 0);
  return self;
}

void
hoga_order_book_submit_async (HogaOrderBook          *self,
                              const HogaOrderRequest *request,
                              const char             *reason,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  HogaOrderRecord intent = { 0 };

  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));
  g_return_if_fail (request != NULL && request->qty > 0);
  g_return_if_fail (request->side == HOGA_SIDE_BUY || request->side == HOGA_SIDE_SELL);

  intent.side = request->side;
  copy_text (intent.code, sizeof intent.code, request->code);
  intent.qty = request->qty;
  intent.price = request->type == HOGA_ORDER_TYPE_MARKET ? 0 : request->price;
  intent.type = request->type;
  intent.venue = request->venue;
  copy_text (intent.reason, sizeof intent.reason, reason != NULL ? reason : "");
  intent.state = HOGA_ORDER_STATE_PENDING;

  submit_record (self, &intent, cancellable, callback, user_data);
}

HogaOrder *
hoga_order_book_submit_finish (HogaOrderBook  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (HOGA_IS_ORDER_BOOK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hoga_order_book_cancel_async (HogaOrderBook       *self,
                              HogaOrder           *order,
                              gint64               qty,
                              const char          *reason,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  HogaOrderRecord intent;
  Entry *original;

  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));
  g_return_if_fail (HOGA_IS_ORDER (order));
  g_return_if_fail (qty >= 0);

  if ((original = working_entry_of (self, order)) == NULL)
    {
      g_task_report_new_error (self, callback, user_data, hoga_order_book_submit_async,
                               G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Only a working order can be cancelled"));
      return;
    }

  intent_from (&intent, original, reason);
  intent.qty = qty > 0 ? qty : original->rec.qty - original->rec.filled_qty;
  intent.price = 0;
  submit_record (self, &intent, cancellable, callback, user_data);
}

void
hoga_order_book_modify_async (HogaOrderBook       *self,
                              HogaOrder           *order,
                              gint64               qty,
                              gint64               price,
                              const char          *reason,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  HogaOrderRecord intent;
  Entry *original;

  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));
  g_return_if_fail (HOGA_IS_ORDER (order));
  g_return_if_fail (qty >= 0 && price > 0);

  if ((original = working_entry_of (self, order)) == NULL
      || original->rec.type != HOGA_ORDER_TYPE_LIMIT)
    {
      g_task_report_new_error (self, callback, user_data, hoga_order_book_submit_async,
                               G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Only a working limit order can be modified"));
      return;
    }

  intent_from (&intent, original, reason);
  intent.qty = qty > 0 ? qty : original->rec.qty - original->rec.filled_qty;
  intent.price = price;
  submit_record (self, &intent, cancellable, callback, user_data);
}

void
hoga_order_book_load (HogaOrderBook             *self,
                      const HogaJournalSnapshot *snapshot)
{
  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));
  g_return_if_fail (snapshot != NULL && snapshot->orders != NULL);

  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      const HogaOrderRecord *record = &g_array_index (snapshot->orders, HogaOrderRecord, i);
      Entry *entry = g_new0 (Entry, 1);
      gboolean changed = FALSE;
      gint64 qty = 0;
      gint64 amount = 0;

      entry->rec = *record;
      append_entry (self, entry);

      /* A crash between a fill's record and its order's update leaves the order behind
       * its own fills: the fills are the truth. */
      for (guint f = 0; record->ord_no[0] != '\0' && snapshot->fills != NULL
                        && f < snapshot->fills->len; f++)
        {
          const HogaFillRecord *fill = &g_array_index (snapshot->fills, HogaFillRecord, f);

          if (strcmp (fill->ord_no, record->ord_no) == 0)
            {
              qty += fill->qty;
              amount += fill->qty * fill->price;
            }
        }
      if (qty > entry->rec.filled_qty)
        {
          entry->rec.filled_qty = qty;
          entry->rec.filled_amount = amount;
          entry->rec.state = state_after_fill (&entry->rec, entry->rec.qty - qty);
          changed = TRUE;
        }

      if (entry->rec.state == HOGA_ORDER_STATE_PENDING
          || entry->rec.state == HOGA_ORDER_STATE_SENT)
        {
          entry->rec.state = HOGA_ORDER_STATE_UNKNOWN;
          copy_text (entry->rec.error, sizeof entry->rec.error,
                     _("Interrupted before the broker replied"));
          changed = TRUE;
        }

      if (changed)
        journal_entry (self, entry);
    }
}

void
hoga_order_book_reconcile_async (HogaOrderBook       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_order_book_reconcile_async);
  g_task_set_task_data (task, g_new0 (Reconcile, 1), (GDestroyNotify)reconcile_free);
  hoga_broker_orders_async (self->broker, FALSE, cancellable, working_orders_cb, task);
}

int
hoga_order_book_reconcile_finish (HogaOrderBook  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (HOGA_IS_ORDER_BOOK (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (int)g_task_propagate_int (G_TASK (result), error);
}

void
hoga_order_book_set_reconcile_interval (HogaOrderBook *self,
                                        guint          seconds)
{
  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));
  self->reconcile_interval_s = seconds;
}

guint
hoga_order_book_get_n_unknown (HogaOrderBook *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER_BOOK (self), 0);
  return count_unknown (self);
}

HogaOrder *
hoga_order_book_lookup (HogaOrderBook *self,
                        const char    *ord_no)
{
  Entry *entry;

  g_return_val_if_fail (HOGA_IS_ORDER_BOOK (self), NULL);

  entry = find_by_ord_no (self, ord_no);
  return entry != NULL ? entry->order : NULL;
}

/**
 * hoga_order_book_set_clock:
 * @self: an order book
 * @func: (nullable): now, in µs since the epoch, on the broker's clock; %NULL for the
 *   wall clock
 * @user_data: for @func; the caller keeps it alive as long as the book
 *
 * Orders are stamped with this clock, and reconciliation matches the broker's order times
 * against it: on the simulated profile the exchange's session clock is not the wall clock.
 */
void
hoga_order_book_set_clock (HogaOrderBook          *self,
                           HogaOrderBookClockFunc  func,
                           gpointer                user_data)
{
  g_return_if_fail (HOGA_IS_ORDER_BOOK (self));

  self->clock = func;
  self->clock_data = user_data;
}
