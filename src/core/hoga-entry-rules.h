/* hoga-entry-rules.h — whether and how to buy a symbol that entered the buy condition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "hoga-broker.h"

G_BEGIN_DECLS

/* Declared in the order the rules are checked: a skip reports the first rule that fails. */
typedef enum {
  HOGA_ENTRY_REASON_BUY,
  HOGA_ENTRY_REASON_NOT_BUY_CONDITION,
  HOGA_ENTRY_REASON_NOT_INSERT,
  HOGA_ENTRY_REASON_SNAPSHOT_MEMBER,
  HOGA_ENTRY_REASON_AUTO_BUY_OFF,
  HOGA_ENTRY_REASON_OUTSIDE_WINDOW,
  HOGA_ENTRY_REASON_HELD,
  HOGA_ENTRY_REASON_TRACKED,
  HOGA_ENTRY_REASON_BUY_PENDING,
  HOGA_ENTRY_REASON_BOUGHT_TODAY,
  HOGA_ENTRY_REASON_COOLDOWN,
  HOGA_ENTRY_REASON_MAX_POSITIONS,
  HOGA_ENTRY_REASON_NO_REGISTRATION_CAPACITY,
  HOGA_ENTRY_REASON_RISK_REJECTED,
  HOGA_ENTRY_REASON_NO_PRICE,
  HOGA_ENTRY_REASON_NO_BASE_PRICE,
  HOGA_ENTRY_REASON_QUANTITY_ZERO,
} HogaEntryReason;

typedef struct {
  gboolean      auto_buy;
  guint32       window_start_hhmmss; /* buy from this time (Asia/Seoul) … */
  guint32       window_end_hhmmss;   /* … until just before this one */
  guint         max_positions;       /* tracked positions, including this one */
  gint64        amount_per_stock;    /* KRW */
  HogaOrderType order_type;
  int           limit_offset_ticks;  /* limit price = current ± N ticks */
  gboolean      allow_reentry;       /* buy a symbol again after selling it today */
  gboolean      buy_snapshot_members;
  guint         cooldown_s;          /* after a symbol's last sell or rejected buy */
} HogaEntrySettings;

/* What the engine knows about the event and the symbol when it arrives. */
typedef struct {
  gboolean on_buy_condition;         /* the event's seq is the buy condition's */
  gboolean inserted;                 /* I, not D */
  gboolean from_snapshot;            /* a snapshot member, not a realtime entry */
  guint32  now_hhmmss;
  guint    tracked_count;
  gboolean held;
  gboolean tracked;
  gboolean buy_pending;
  gboolean bought_today;
  gint64   cooldown_elapsed_s;       /* since the symbol's cooldown began, -1 if it has none */
  guint    registration_capacity;    /* realtime registrations left; > 0 if already registered */
  gint64   current_price;            /* last trade (or ka10001), 0 when none is fresh */
  gint64   base_price;               /* 기준가, for the daily limits; 0 when unknown */
  gboolean risk_approved;            /* HogaRiskGuard's verdict on buying now */
} HogaEntryContext;

typedef struct {
  HogaEntryReason reason;
  HogaOrderType   order_type;
  gint64          qty;
  gint64          price;             /* as in HogaOrderRequest: 0 for a market order */
  gint64          unit_price;        /* what the quantity was sized at */
} HogaEntryDecision;

gboolean     hoga_entry_rules_evaluate  (const HogaEntrySettings *settings,
                                         const HogaEntryContext  *context,
                                         HogaEntryDecision       *decision);

const char  *hoga_entry_reason_to_string(HogaEntryReason          reason);

G_END_DECLS
