/* hoga-settings.h — typed broker, strategy and risk settings from GSettings or a key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hoga-broker.h"
#include "hoga-entry-rules.h"
#include "hoga-exit-rules.h"

G_BEGIN_DECLS

#define HOGA_SETTINGS_SCHEMA_ID "io.github.hoga.Hoga"

#define HOGA_SETTINGS_ERROR (hoga_settings_error_quark ())

typedef enum {
  HOGA_SETTINGS_ERROR_INVALID_VALUE, /* a value of the wrong type, format or range */
  HOGA_SETTINGS_ERROR_CONFLICT,      /* values that are valid alone but not together */
  HOGA_SETTINGS_ERROR_UNKNOWN_GROUP,
  HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
} HogaSettingsError;

/* Values match the schema's io.github.hoga.Hoga.Profile enum. */
typedef enum {
  HOGA_PROFILE_SIMULATED,
  HOGA_PROFILE_MOCK,
  HOGA_PROFILE_REAL,
  HOGA_PROFILE_CUSTOM,
} HogaProfile;

#define HOGA_TYPE_SETTINGS (hoga_settings_get_type ())

/* Percentages are basis points (100 = 1 %), amounts KRW, times hhmmss in Asia/Seoul. */
typedef struct {
  /* [broker] */
  HogaProfile   profile;
  char         *rest_url;                /* custom profile only; "" when unset */
  char         *ws_url;                  /* custom profile only; "" when unset */
  guint         rate_limit;              /* per second; 0 = the profile's default */
  HogaVenue     venue;

  /* [strategy] */
  gboolean      auto_buy;                /* key file only: the desktop app always starts off */
  gboolean      auto_sell;
  char         *buy_condition;           /* condition name; "" when unset */
  char         *buy_condition_seq;       /* used when no condition has that name; "" when unset */
  char         *sell_condition;
  char         *sell_condition_seq;
  gint64        amount_per_stock;
  guint         max_positions;
  gint32        stop_loss_bp;
  gint32        trailing_start_bp;       /* 0 = off */
  gint32        trailing_drop_bp;
  gint32        take_profit_bp;          /* 0 = off */
  HogaOrderType buy_type;
  gint32        buy_limit_offset_ticks;
  HogaOrderType sell_type;
  gint32        sell_limit_offset_ticks;
  guint32       trading_window_start;    /* hhmmss */
  guint32       trading_window_end;      /* hhmmss, exclusive */
  gboolean      end_of_day_sell;
  guint32       end_of_day_time;         /* hhmmss */
  gboolean      buy_snapshot_members;
  gboolean      allow_reentry;
  guint         cooldown_s;
  guint         unfilled_buy_timeout_s;
  guint         unfilled_sell_timeout_s;
  guint         sell_retry_cooldown_s;

  /* [risk] */
  gint64        max_order_value;
  guint         max_buys_per_day;
  gint32        daily_loss_limit_bp;     /* 0 = off */
  gboolean      flatten_on_daily_loss;
  gint32        price_band_bp;
  guint         staleness_limit_ms;
} HogaSettings;

GQuark               hoga_settings_error_quark     (void);
GType                hoga_settings_get_type        (void) G_GNUC_CONST;

HogaSettings        *hoga_settings_new             (void);
HogaSettings        *hoga_settings_copy            (const HogaSettings *self);
void                 hoga_settings_free            (HogaSettings       *self);

HogaSettings        *hoga_settings_load_key_file   (GKeyFile           *key_file,
                                                    GError            **error);
HogaSettings        *hoga_settings_load_gsettings  (GSettings          *settings,
                                                    GError            **error);
gboolean             hoga_settings_validate        (const HogaSettings *self,
                                                    GError            **error);

GVariant            *hoga_settings_get_value       (const HogaSettings *self,
                                                    const char         *group,
                                                    const char         *key);
const char * const  *hoga_settings_list_groups     (void);
char               **hoga_settings_list_keys       (const char         *group);
char                *hoga_settings_describe_keys   (void);

/* The [broker] groups are the same: a running engine can take the other settings live,
 * but a different connection needs a new session. */
gboolean             hoga_settings_broker_equal    (const HogaSettings *a,
                                                    const HogaSettings *b);
guint                hoga_settings_get_rate_limit  (const HogaSettings *self);
void                 hoga_settings_fill_entry      (const HogaSettings *self,
                                                    HogaEntrySettings  *entry);
void                 hoga_settings_fill_exit       (const HogaSettings *self,
                                                    HogaExitSettings   *exit_settings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HogaSettings, hoga_settings_free)

G_END_DECLS
