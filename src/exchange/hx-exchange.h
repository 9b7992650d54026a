/* hx-exchange.h — hoga-exchange: owns the market, account, servers and fault switches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hx-account.h"
#include "hx-auth.h"
#include "hx-clock.h"
#include "hx-conditions.h"
#include "hx-market.h"
#include "hx-types.h"

G_BEGIN_DECLS

typedef struct _HxRest HxRest;
typedef struct _HxWs HxWs;

/* Start-up options (command line). Strings are owned by the options. */
typedef struct {
  guint64     seed;
  guint       n_symbols;               /* total with generated ones; 0 = data file only */
  char       *symbols_file;            /* NULL = built-in data */
  char       *conditions_file;         /* NULL = built-in data */
  guint16     rest_port;               /* 0 = any free port */
  guint16     ws_port;
  gint64      cash;                    /* starting deposit, KRW */
  guint       commission_ppm;
  guint       tax_ppm;
  HxClockMode clock_mode;
  double      clock_speed;
  char       *start_time;              /* "YYYY-MM-DD HH:MM:SS" KST, NULL = now */
  double      trades_per_second;       /* random walk; 0 = no random walk */
  gboolean    conditions_automatic;
  double      ping_interval;           /* seconds between server PINGs */
  guint       max_missed_pings;        /* R10002 + close after this many */
  double      login_timeout;           /* R10004 interval */
  double      rate_limit;              /* requests per second per api-id (and app key) */
  guint       page_size;               /* rows per page for list TRs and CNSRREQ one-shot */
  guint       token_lifetime;          /* seconds */
  guint       max_realtime_conditions; /* per login */
  guint       max_reg_items;           /* per session; 0 = unlimited */
  guint       entries_per_frame;       /* REAL data entries batched per frame */
  gsize       max_body_size;           /* REST request bodies above this: 413 */
} HxOptions;

void hx_options_init  (HxOptions *options);
void hx_options_clear (HxOptions *options);

/* Runtime fault switches, changed by flags and by the control endpoint. */
typedef struct {
  gboolean stop_pings;          /* the server stops sending PING */
  gboolean ws_silent;           /* the server stops reading and writing its WebSockets */
  guint    rest_delay_ms;       /* every REST reply is delayed this long */
  gboolean rest_hang;           /* REST requests get no reply until this is switched off */
  guint    reject_orders;       /* the next N order TRs get a business rejection */
  guint    rate_limit_status;   /* HTTP status of a 1700 reply: 429 (default) or 200 */
  gboolean string_return_codes; /* REST return_code as a string ("0"), as seen live */
  gboolean hold_ticks;          /* no 0B/0D pushes: the market trades on, unseen */
} HxFaults;

#define HX_TYPE_EXCHANGE (hx_exchange_get_type ())
G_DECLARE_FINAL_TYPE (HxExchange, hx_exchange, HX, EXCHANGE, GObject)

HxExchange    *hx_exchange_new             (const HxOptions *options,
                                            GError         **error);
gboolean       hx_exchange_start           (HxExchange      *self,
                                            GError         **error);
/* The ready line: {"rest_url":…,"ws_url":…,"control_url":…,"pid":…} */
char          *hx_exchange_describe        (HxExchange      *self);

const HxOptions *hx_exchange_get_options   (HxExchange      *self);
HxFaults      *hx_exchange_get_faults      (HxExchange      *self);
HxClock       *hx_exchange_get_clock       (HxExchange      *self);
HxMarket      *hx_exchange_get_market      (HxExchange      *self);
HxConditions  *hx_exchange_get_conditions  (HxExchange      *self);
HxAccount     *hx_exchange_get_account     (HxExchange      *self);
HxAuth        *hx_exchange_get_auth        (HxExchange      *self);
HxRest        *hx_exchange_get_rest        (HxExchange      *self);
HxWs          *hx_exchange_get_ws          (HxExchange      *self);

G_END_DECLS
