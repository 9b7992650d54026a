/* hoga-journal.h — the journal port: durable orders, fills, tracked positions, daily state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order book writes every order intent here and waits for the write to complete before
 * the order is sent; after a crash, hoga_journal_load_async() gives back everything needed to
 * reconcile and resume. Adapters in store/ implement it; nothing here knows SQLite.
 *
 * Every call is queued and carried out in the order it was made, and its callback runs in
 * the thread-default main context of the caller, in that same order. A write has completed
 * successfully only when it is on disk (committed and synced): a crash at any later instant
 * cannot lose it. There is no GCancellable: once submitted, a write is either done or failed,
 * and the caller always learns which.
 *
 * Records are plain values with fixed-size text fields (NUL-terminated, UTF-8, cut at a
 * character boundary when too long), so they copy with an assignment and need no freeing.
 */
#pragma once

#include <gio/gio.h>

#include "hoga-broker.h"
#include "hoga-exit-rules.h"
#include "hoga-risk-guard.h"

G_BEGIN_DECLS

#define HOGA_JOURNAL_TEXT_SIZE     128   /* reason and error texts */
#define HOGA_JOURNAL_TAG_SIZE       32   /* short identifiers: states, exit reasons, kinds */
#define HOGA_JOURNAL_MESSAGE_SIZE  512   /* an audit message */
#define HOGA_FILL_NO_SIZE          (HOGA_ORD_NO_SIZE + 4)

/* DESIGN.md §4 "Orders". FILLED, CANCELLED and REJECTED are terminal; UNKNOWN is not: its
 * outcome must be reconciled with the broker before anything is sent again. */
typedef enum {
  HOGA_ORDER_STATE_PENDING,    /* journaled, not sent (or sent and not yet known to be) */
  HOGA_ORDER_STATE_SENT,
  HOGA_ORDER_STATE_ACCEPTED,   /* the broker gave it an order number */
  HOGA_ORDER_STATE_PARTIAL,
  HOGA_ORDER_STATE_FILLED,
  HOGA_ORDER_STATE_CANCELLED,
  HOGA_ORDER_STATE_REJECTED,
  HOGA_ORDER_STATE_UNKNOWN,
} HogaOrderState;

typedef enum {
  HOGA_AUDIT_INFO,
  HOGA_AUDIT_WARNING,
  HOGA_AUDIT_ERROR,
} HogaAuditLevel;

/* Times are µs since the Unix epoch (g_get_real_time()); a time left at 0 is set to the time
 * of the call. */
typedef struct {
  gint64         id;                               /* assigned by the journal, from 1 up */
  HogaSide       side;
  char           code[HOGA_CODE_SIZE];
  gint64         qty;
  gint64         price;                            /* 0 for market */
  HogaOrderType  type;
  HogaVenue      venue;
  char           reason[HOGA_JOURNAL_TEXT_SIZE];   /* why it was placed: an entry/exit reason */
  gint64         created_at;
  /* The mutable part, written by hoga_journal_update_order_async(). */
  HogaOrderState state;
  char           ord_no[HOGA_ORD_NO_SIZE];         /* "" until the broker gives one */
  char           orig_ord_no[HOGA_ORD_NO_SIZE];    /* the order a modify/cancel acts on */
  char           root_ord_no[HOGA_ORD_NO_SIZE];    /* the first order of a modify/cancel chain */
  gint64         filled_qty;
  gint64         filled_amount;                    /* Σ fill qty × fill price, KRW */
  char           error[HOGA_JOURNAL_TEXT_SIZE];    /* the broker's message when it failed */
  gint64         updated_at;
  gint64         fee;                              /* commission so far, KRW (FID 938) */
  gint64         tax;                              /* transaction tax so far, KRW (FID 939) */
} HogaOrderRecord;

/* One execution; (ord_no, fill_no) identifies it, so a fill seen twice (a 00 event and a
 * ka10076 reconciliation) is recorded once. */
typedef struct {
  char    ord_no[HOGA_ORD_NO_SIZE];
  char    fill_no[HOGA_FILL_NO_SIZE];
  gint64  qty;
  gint64  price;
  gint64  filled_at;
} HogaFillRecord;

/* A tracked position (the tracking frame), one per code. @exit is the trailing state the exit
 * rules maintain (HogaExitDecision.next): persisting it on every change lets a restart resume
 * with the same peak and stop. */
typedef struct {
  char          code[HOGA_CODE_SIZE];
  char          name[HOGA_NAME_SIZE];
  gint64        qty;
  HogaExitState exit;
  char          state[HOGA_JOURNAL_TAG_SIZE];       /* HogaPositionState's nick, e.g. "tracking" */
  char          exit_reason[HOGA_JOURNAL_TAG_SIZE]; /* hoga_exit_reason_to_string(), "" none */
  gint64        entered_at;
  gboolean      external;      /* held, not bought by Hoga: never auto-sold unless adopted */
  gint64        updated_at;
} HogaPositionRecord;

/* The risk guard's state for one trading day (Asia/Seoul). */
typedef struct {
  guint32      date;           /* YYYYMMDD */
  gint64       start_equity;
  gint64       realized_pnl;   /* gross: sells against their average cost, before fees and
                                  taxes, which the orders hold (costs_today below) */
  gint32       buy_count;
  HogaKillTier kill_tier;
  gint64       updated_at;
} HogaDailyRecord;

typedef struct {
  gint64         time;
  HogaAuditLevel level;
  char           kind[HOGA_JOURNAL_TAG_SIZE];  /* e.g. "order", "risk", "connection" */
  char           code[HOGA_CODE_SIZE];         /* "" when not about one stock */
  char           message[HOGA_JOURNAL_MESSAGE_SIZE];
} HogaAuditRecord;

/* What a restart needs. */
typedef struct {
  GArray          *orders;     /* HogaOrderRecord: every order not FILLED/CANCELLED/REJECTED,
                                  oldest first */
  GArray          *fills;      /* HogaFillRecord: the fills of those orders, as recorded */
  GArray          *positions;  /* HogaPositionRecord: every tracked position, by code */
  GPtrArray       *bought_today; /* char *: codes of buys created on the requested day
                                    (KST) that got a fill, for the no-re-entry rule */
  gboolean         has_daily;
  HogaDailyRecord  daily;      /* the requested day's record, when @has_daily */
  gint64           costs_today; /* Σ fee + tax of the orders created on the requested day
                                   (KST): with daily.realized_pnl, the day's net figure */
} HogaJournalSnapshot;

void hoga_journal_snapshot_free (HogaJournalSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HogaJournalSnapshot, hoga_journal_snapshot_free)

#define HOGA_JOURNAL_ERROR (hoga_journal_error_quark ())
GQuark hoga_journal_error_quark (void);

typedef enum {
  HOGA_JOURNAL_ERROR_FAILED,    /* the storage failed (I/O error, disk full, …) */
  HOGA_JOURNAL_ERROR_CORRUPT,   /* not a journal, or damaged: refused and left untouched */
  HOGA_JOURNAL_ERROR_TOO_NEW,   /* written by a newer Hoga: refused and left untouched */
  HOGA_JOURNAL_ERROR_BUSY,      /* in use by another process */
  HOGA_JOURNAL_ERROR_NOT_FOUND, /* an update of an order the journal does not hold */
  HOGA_JOURNAL_ERROR_CLOSED,    /* a call after hoga_journal_close_async() */
} HogaJournalError;

#define HOGA_TYPE_JOURNAL (hoga_journal_get_type ())
G_DECLARE_INTERFACE (HogaJournal, hoga_journal, HOGA, JOURNAL, GObject)

/* Implementations complete each call with a GTask whose source object is the journal, in
 * submission order. update_order, record_fill, save_position, remove_position, save_daily and
 * append_audit all finish with write_finish. */
struct _HogaJournalInterface
{
  GTypeInterface parent_iface;

  void                  (*record_order_async)    (HogaJournal               *self,
                                                  const HogaOrderRecord     *order,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  gint64                (*record_order_finish)   (HogaJournal               *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);
  void                  (*update_order_async)    (HogaJournal               *self,
                                                  const HogaOrderRecord     *order,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  void                  (*record_fill_async)     (HogaJournal               *self,
                                                  const HogaFillRecord      *fill,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  gboolean              (*record_fill_finish)    (HogaJournal               *self,
                                                  GAsyncResult              *result,
                                                  gboolean                  *is_new,
                                                  GError                   **error);
  void                  (*save_position_async)   (HogaJournal               *self,
                                                  const HogaPositionRecord  *position,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  void                  (*remove_position_async) (HogaJournal               *self,
                                                  const char                *code,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  void                  (*save_daily_async)      (HogaJournal               *self,
                                                  const HogaDailyRecord     *daily,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  void                  (*append_audit_async)    (HogaJournal               *self,
                                                  const HogaAuditRecord     *audit,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  gboolean              (*write_finish)          (HogaJournal               *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);
  void                  (*load_async)            (HogaJournal               *self,
                                                  guint32                    today,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  HogaJournalSnapshot  *(*load_finish)           (HogaJournal               *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);
  void                  (*close_async)           (HogaJournal               *self,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
  gboolean              (*close_finish)          (HogaJournal               *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);
};

/* Inserts a new intent (@order's id is ignored) and finishes with its id (> 0), or 0 and an
 * error. Send the order only after a successful finish. */
void                  hoga_journal_record_order_async    (HogaJournal               *self,
                                                          const HogaOrderRecord     *order,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
gint64                hoga_journal_record_order_finish   (HogaJournal               *self,
                                                          GAsyncResult              *result,
                                                          GError                   **error);
/* Writes the mutable part of the order @order->id (state … tax); the rest of @order
 * is ignored. HOGA_JOURNAL_ERROR_NOT_FOUND when there is no such order. */
void                  hoga_journal_update_order_async    (HogaJournal               *self,
                                                          const HogaOrderRecord     *order,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
/* @is_new is FALSE when this (ord_no, fill_no) was already recorded: apply the fill only
 * when it is TRUE. */
void                  hoga_journal_record_fill_async     (HogaJournal               *self,
                                                          const HogaFillRecord      *fill,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
gboolean              hoga_journal_record_fill_finish    (HogaJournal               *self,
                                                          GAsyncResult              *result,
                                                          gboolean                  *is_new,
                                                          GError                   **error);
/* Inserts or replaces the position of @position->code. */
void                  hoga_journal_save_position_async   (HogaJournal               *self,
                                                          const HogaPositionRecord  *position,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
/* Removing a position that is not there succeeds. */
void                  hoga_journal_remove_position_async (HogaJournal               *self,
                                                          const char                *code,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
/* Inserts or replaces the record of @daily->date. */
void                  hoga_journal_save_daily_async      (HogaJournal               *self,
                                                          const HogaDailyRecord     *daily,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
/* @callback may be NULL: nobody needs to wait for an audit line. */
void                  hoga_journal_append_audit_async    (HogaJournal               *self,
                                                          const HogaAuditRecord     *audit,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
gboolean              hoga_journal_write_finish          (HogaJournal               *self,
                                                          GAsyncResult              *result,
                                                          GError                   **error);
/* Everything a restart needs; @today (YYYYMMDD, Asia/Seoul) selects the daily record. */
void                  hoga_journal_load_async            (HogaJournal               *self,
                                                          guint32                    today,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
HogaJournalSnapshot  *hoga_journal_load_finish           (HogaJournal               *self,
                                                          GAsyncResult              *result,
                                                          GError                   **error);
/* Completes after every call made before it; later calls fail with
 * HOGA_JOURNAL_ERROR_CLOSED. */
void                  hoga_journal_close_async           (HogaJournal               *self,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
gboolean              hoga_journal_close_finish          (HogaJournal               *self,
                                                          GAsyncResult              *result,
                                                          GError                   **error);

const char           *hoga_order_state_to_string         (HogaOrderState             state);
gboolean              hoga_order_state_from_string       (const char                *text,
                                                          HogaOrderState            *state);
gboolean              hoga_order_state_is_terminal       (HogaOrderState             state);

G_END_DECLS
