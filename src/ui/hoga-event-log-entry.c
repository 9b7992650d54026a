/* hoga-event-log-entry.c — one line of the event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hoga-event-log-entry.h"
#include "hoga-krx.h"

struct _HogaEventLogEntry
{
  GObject         parent_instance;

  GDateTime      *time;
  GLogLevelFlags  level;
  char           *code;
  char           *message;
  char           *folded;       /* code and message, case-folded, for the search filter */
  char            time_text[9];
};

G_DEFINE_FINAL_TYPE (HogaEventLogEntry, hoga_event_log_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME,
  PROP_LEVEL,
  PROP_CODE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hoga_event_log_entry_finalize (GObject *object)
{
  HogaEventLogEntry *self = HOGA_EVENT_LOG_ENTRY (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->code);
  g_free (self->message);
  g_free (self->folded);

  G_OBJECT_CLASS (hoga_event_log_entry_parent_class)->finalize (object);
}

static void
hoga_event_log_entry_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HogaEventLogEntry *self = HOGA_EVENT_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_LEVEL:
      g_value_set_uint (value, self->level);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_event_log_entry_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HogaEventLogEntry *self = HOGA_EVENT_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TIME:
      {
        GDateTime *time = g_value_get_boxed (value);

        self->time = time != NULL ? hoga_krx_to_kst (time) : hoga_krx_now ();
      }
      break;
    case PROP_LEVEL:
      self->level = g_value_get_uint (value);
      break;
    case PROP_CODE:
      self->code = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    case PROP_MESSAGE:
      self->message = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value)
                                                                  : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_event_log_entry_constructed (GObject *object)
{
  HogaEventLogEntry *self = HOGA_EVENT_LOG_ENTRY (object);
  g_autofree char *joined = NULL;

  G_OBJECT_CLASS (hoga_event_log_entry_parent_class)->constructed (object);

  if (self->time == NULL)
    self->time = hoga_krx_now ();
  g_snprintf (self->time_text, sizeof self->time_text, "%02d:%02d:%02d",
              g_date_time_get_hour (self->time), g_date_time_get_minute (self->time),
              g_date_time_get_second (self->time));
  joined = g_strconcat (self->code, "\n", self->message, NULL);
  self->folded = g_utf8_casefold (joined, -1);
}

static void
hoga_event_log_entry_class_init (HogaEventLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = hoga_event_log_entry_constructed;
  object_class->finalize = hoga_event_log_entry_finalize;
  object_class->get_property = hoga_event_log_entry_get_property;
  object_class->set_property = hoga_event_log_entry_set_property;

  properties[PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_uint ("level", NULL, NULL, 0, G_MAXUINT, G_LOG_LEVEL_MESSAGE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_event_log_entry_init (HogaEventLogEntry *self)
{
}

/**
 * hoga_event_log_entry_new:
 * @time: (nullable): when it happened (any zone); %NULL for now
 * @level: a GLogLevelFlags level
 * @code: (nullable): the stock code
 * @message: the text
 *
 * Returns: (transfer full): a new entry
 */
HogaEventLogEntry *
hoga_event_log_entry_new (GDateTime      *time,
                          GLogLevelFlags  level,
                          const char     *code,
                          const char     *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  return g_object_new (HOGA_TYPE_EVENT_LOG_ENTRY,
                       "time", time,
                       "level", (guint) level,
                       "code", code,
                       "message", message,
                       NULL);
}

GDateTime *
hoga_event_log_entry_get_time (HogaEventLogEntry *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), NULL);

  return self->time;
}

const char *
hoga_event_log_entry_get_time_text (HogaEventLogEntry *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), NULL);

  return self->time_text;
}

GLogLevelFlags
hoga_event_log_entry_get_level (HogaEventLogEntry *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), 0);

  return self->level;
}

const char *
hoga_event_log_entry_get_code (HogaEventLogEntry *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), NULL);

  return self->code;
}

const char *
hoga_event_log_entry_get_message (HogaEventLogEntry *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), NULL);

  return self->message;
}

guint
hoga_event_log_entry_get_severity (HogaEventLogEntry *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), 0);

  if ((self->level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0)
    return 3;
  if ((self->level & G_LOG_LEVEL_WARNING) != 0)
    return 2;
  if ((self->level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) != 0)
    return 1;
  return 0;
}

gboolean
hoga_event_log_entry_matches (HogaEventLogEntry *self,
                              const char        *folded)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG_ENTRY (self), FALSE);
  g_return_val_if_fail (folded != NULL, FALSE);

  return strstr (self->folded, folded) != NULL;
}

const char *
hoga_event_log_level_to_string (GLogLevelFlags level)
{
  if ((level & G_LOG_LEVEL_ERROR) != 0)
    return _("Error");
  if ((level & G_LOG_LEVEL_CRITICAL) != 0)
    return _("Critical");
  if ((level & G_LOG_LEVEL_WARNING) != 0)
    return _("Warning");
  if ((level & G_LOG_LEVEL_MESSAGE) != 0)
    return _("Notice");
  if ((level & G_LOG_LEVEL_INFO) != 0)
    return _("Info");
  return _("Debug");
}

const char *
hoga_event_log_level_icon_name (GLogLevelFlags level)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0)
    return "dialog-error-symbolic";
  if ((level & G_LOG_LEVEL_WARNING) != 0)
    return "dialog-warning-symbolic";
  if ((level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) != 0)
    return "dialog-information-symbolic";
  return "utilities-terminal-symbolic";
}
