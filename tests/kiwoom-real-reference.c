/* kiwoom-real-reference.c — a plain json-glib decoder of REAL frames, for differential tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deliberately simple: C strings from json-glib, one helper per conversion rule, no sharing
 * with the scanner beyond hoga_code_normalize(), which the rules name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiwoom-real-reference.h"

/* The strict validator: recursive descent, sharing nothing with the scanner's. */

typedef struct {
  const guchar *p;
  const guchar *end;
  guint         depth;
} Strict;

static gboolean strict_value (Strict *s);

static void
strict_ws (Strict *s)
{
  while (s->p < s->end && strchr (" \t\r\n", *s->p) != NULL && *s->p != '\0')
    s->p++;
}

static gboolean
strict_eat (Strict *s,
            char    c)
{
  strict_ws (s);
  if (s->p < s->end && *s->p == (guchar) c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
strict_u16 (Strict *s,
            guint  *unit)
{
  char hex[5] = { 0 };

  if (s->end - s->p < 4)
    return FALSE;
  memcpy (hex, s->p, 4);
  for (int i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (hex[i]))
        return FALSE;
    }
  *unit = strtoul (hex, NULL, 16);
  s->p += 4;
  return TRUE;
}

static gboolean
strict_string (Strict *s)
{
  if (!strict_eat (s, '"'))
    return FALSE;
  while (s->p < s->end)
    {
      guchar c = *s->p++;
      guint unit;
      guint low;

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        continue;
      if (s->p == s->end)
        return FALSE;
      c = *s->p++;
      if (strchr ("\"\\/bfnrt", c) != NULL && c != '\0')
        continue;
      if (c != 'u' || !strict_u16 (s, &unit))
        return FALSE;
      if (unit >= 0xdc00 && unit <= 0xdfff)
        return FALSE;
      if (unit >= 0xd800 && unit <= 0xdbff)
        {
          if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
            return FALSE;
          s->p += 2;
          if (!strict_u16 (s, &low) || low < 0xdc00 || low > 0xdfff)
            return FALSE;
        }
    }
  return FALSE;
}

static gboolean
strict_digits (Strict *s)
{
  const guchar *start = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > start;
}

static gboolean
strict_number (Strict *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!strict_digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!strict_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!strict_digits (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
strict_word (Strict     *s,
             const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
strict_container (Strict  *s,
                  gboolean object)
{
  char close = object ? '}' : ']';

  if (++s->depth > KIWOOM_REAL_MAX_DEPTH)
    return FALSE;
  s->p++;
  if (strict_eat (s, close))
    {
      s->depth--;
      return TRUE;
    }
  do
    {
      if (object && (!strict_string (s) || !strict_eat (s, ':')))
        return FALSE;
      if (!strict_value (s))
        return FALSE;
    }
  while (strict_eat (s, ','));
  s->depth--;
  return strict_eat (s, close);
}

static gboolean
strict_value (Strict *s)
{
  strict_ws (s);
  if (s->p == s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{': return strict_container (s, TRUE);
    case '[': return strict_container (s, FALSE);
    case '"': return strict_string (s);
    case 't': return strict_word (s, "true");
    case 'f': return strict_word (s, "false");
    case 'n': return strict_word (s, "null");
    default: return strict_number (s);
    }
}

gboolean
kiwoom_real_reference_strict_json (const char *frame,
                                   gsize       length)
{
  Strict s = { (const guchar *) frame, (const guchar *) frame + length, 0 };

  if (length == 0 || !g_utf8_validate (frame, length, NULL))
    return FALSE;
  if (!strict_value (&s))
    return FALSE;
  strict_ws (&s);
  return s.p == s.end;
}

typedef enum {
  FIELD_ABSENT,
  FIELD_STRING,
  FIELD_WRONG,
} FieldState;

static FieldState
ref_field (JsonObject  *object,
           const char  *name,
           const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = "";
  if (node == NULL)
    return FIELD_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FIELD_WRONG;
  *out = json_node_get_string (node);
  return FIELD_STRING;
}

static gboolean
ref_all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isdigit (*s))
        return FALSE;
    }
  return TRUE;
}

/* Copies @s, dropping a character that would be split at the end. */
static void
ref_cut (const char *s,
         char       *out,
         gsize       size)
{
  gsize len = strlen (s);

  if (len > size - 1)
    {
      len = size - 1;
      while (len > 0 && ((guchar) s[len] & 0xc0) == 0x80)
        len--;
    }
  memcpy (out, s, len);
  out[len] = '\0';
}

static gboolean
ref_text (JsonObject *values,
          const char *fid,
          char       *out,
          gsize       size)
{
  const char *s;

  if (ref_field (values, fid, &s) == FIELD_WRONG)
    return FALSE;
  ref_cut (s, out, size);
  return TRUE;
}

static gboolean
ref_int (JsonObject *values,
         const char *fid,
         gboolean    absolute,
         gint64     *out)
{
  const char *s;
  gboolean negative = FALSE;
  guint64 n;

  *out = 0;
  if (ref_field (values, fid, &s) == FIELD_WRONG)
    return FALSE;
  if (*s == '\0')
    return TRUE;
  if (*s == '+' || *s == '-' || *s == ' ')
    negative = *s++ == '-';
  if (!ref_all_digits (s)
      || !g_ascii_string_to_unsigned (s, 10, 0, G_MAXINT64, &n, NULL))
    return FALSE;
  *out = negative && !absolute ? -(gint64) n : (gint64) n;
  return TRUE;
}

static gboolean
ref_price (JsonObject *values,
           const char *fid,
           gint64     *out)
{
  return ref_int (values, fid, TRUE, out);
}

static gboolean
ref_signed (JsonObject *values,
            const char *fid,
            gint64     *out)
{
  return ref_int (values, fid, FALSE, out);
}

static gboolean
ref_rate (JsonObject *values,
          const char *fid,
          gint32     *out)
{
  g_autofree char *whole_text = NULL;
  const char *s;
  const char *dot;
  const char *frac = "";
  gboolean negative = FALSE;
  guint64 whole;
  gint64 bp;

  *out = 0;
  if (ref_field (values, fid, &s) == FIELD_WRONG)
    return FALSE;
  if (*s == '\0')
    return TRUE;
  if (*s == '+' || *s == '-' || *s == ' ')
    negative = *s++ == '-';

  dot = strchr (s, '.');
  if (dot != NULL)
    {
      frac = dot + 1;
      if (!ref_all_digits (frac))
        return FALSE;
    }
  whole_text = dot != NULL ? g_strndup (s, dot - s) : g_strdup (s);
  if (!ref_all_digits (whole_text)
      || !g_ascii_string_to_unsigned (whole_text, 10, 0, G_MAXINT32, &whole, NULL))
    return FALSE;

  bp = (gint64) whole * 100;
  if (frac[0] != '\0')
    bp += (frac[0] - '0') * 10;
  if (frac[0] != '\0' && frac[1] != '\0')
    bp += frac[1] - '0';
  if (bp > G_MAXINT32)
    return FALSE;
  *out = negative ? -bp : bp;
  return TRUE;
}

static gboolean
ref_time (JsonObject *values,
          const char *fid,
          guint32    *out)
{
  const char *s;

  *out = 0;
  if (ref_field (values, fid, &s) == FIELD_WRONG)
    return FALSE;
  if (*s == '\0')
    return TRUE;
  if (strlen (s) != 6 || !ref_all_digits (s))
    return FALSE;
  *out = (guint32) g_ascii_strtoull (s, NULL, 10);
  return TRUE;
}

static gboolean
ref_small (JsonObject *values,
           const char *fid,
           guint8     *out)
{
  const char *s;
  guint64 n;

  *out = 0;
  if (ref_field (values, fid, &s) == FIELD_WRONG)
    return FALSE;
  if (*s == '\0')
    return TRUE;
  if (!ref_all_digits (s) || !g_ascii_string_to_unsigned (s, 10, 0, 255, &n, NULL))
    return FALSE;
  *out = n;
  return TRUE;
}

static gboolean
ref_code (JsonObject *entry,
          JsonObject *values,
          char        out[HOGA_CODE_SIZE])
{
  const char *s;
  FieldState state = ref_field (values, "9001", &s);

  if (state == FIELD_WRONG)
    return FALSE;
  if (*s == '\0')
    {
      if (ref_field (entry, "item", &s) != FIELD_STRING)
        return FALSE;
    }
  if (strlen (s) > 32)
    return FALSE;
  return hoga_code_normalize (s, -1, out);
}

static gboolean
ref_status (JsonObject      *values,
            HogaOrderStatus *out)
{
  const char *s;

  if (ref_field (values, "913", &s) == FIELD_WRONG)
    return FALSE;
  if (g_str_equal (s, "접수"))
    *out = HOGA_ORDER_STATUS_RECEIVED;
  else if (g_str_equal (s, "체결"))
    *out = HOGA_ORDER_STATUS_FILLED;
  else if (g_str_equal (s, "확인"))
    *out = HOGA_ORDER_STATUS_CONFIRMED;
  else if (g_str_equal (s, "취소"))
    *out = HOGA_ORDER_STATUS_CANCELLED;
  else if (g_str_equal (s, "거부"))
    *out = HOGA_ORDER_STATUS_REJECTED;
  else
    *out = HOGA_ORDER_STATUS_UNKNOWN;
  return TRUE;
}

static gboolean
ref_kind (JsonObject    *values,
          HogaOrderKind *out)
{
  const char *s;

  if (ref_field (values, "905", &s) == FIELD_WRONG)
    return FALSE;
  if (*s == '+' || *s == '-')
    s++;
  if (g_str_equal (s, "매수정정") || g_str_equal (s, "매도정정"))
    *out = HOGA_ORDER_KIND_MODIFY;
  else if (g_str_equal (s, "매수취소") || g_str_equal (s, "매도취소"))
    *out = HOGA_ORDER_KIND_CANCEL;
  else
    *out = HOGA_ORDER_KIND_NEW;
  return TRUE;
}

static gboolean
ref_side (JsonObject *values,
          HogaSide   *out)
{
  const char *s;

  if (ref_field (values, "907", &s) == FIELD_WRONG)
    return FALSE;
  *out = g_str_equal (s, "1") ? HOGA_SIDE_SELL : g_str_equal (s, "2") ? HOGA_SIDE_BUY : HOGA_SIDE_NONE;
  return TRUE;
}

static gboolean
ref_tick (JsonObject *entry,
          JsonObject *v,
          HogaTick   *t)
{
  return ref_code (entry, v, t->code)
      && ref_time (v, "20", &t->hhmmss)
      && ref_small (v, "25", &t->sign)
      && ref_small (v, "290", &t->session)
      && ref_price (v, "10", &t->price)
      && ref_signed (v, "11", &t->change)
      && ref_rate (v, "12", &t->change_bp)
      && ref_signed (v, "15", &t->volume)
      && ref_signed (v, "13", &t->cum_volume)
      && ref_signed (v, "14", &t->cum_value)
      && ref_price (v, "16", &t->open)
      && ref_price (v, "17", &t->high)
      && ref_price (v, "18", &t->low)
      && ref_price (v, "27", &t->best_ask)
      && ref_price (v, "28", &t->best_bid);
}

static gboolean
ref_depth (JsonObject *entry,
           JsonObject *v,
           HogaDepth  *d)
{
  if (!ref_code (entry, v, d->code)
      || !ref_time (v, "21", &d->hhmmss)
      || !ref_signed (v, "121", &d->total_ask_qty)
      || !ref_signed (v, "125", &d->total_bid_qty))
    return FALSE;
  for (int i = 0; i < HOGA_DEPTH_LEVELS; i++)
    {
      char ask[8], bid[8], ask_qty[8], bid_qty[8];

      g_snprintf (ask, sizeof ask, "%d", 41 + i);
      g_snprintf (bid, sizeof bid, "%d", 51 + i);
      g_snprintf (ask_qty, sizeof ask_qty, "%d", 61 + i);
      g_snprintf (bid_qty, sizeof bid_qty, "%d", 71 + i);
      if (!ref_price (v, ask, &d->ask[i])
          || !ref_price (v, bid, &d->bid[i])
          || !ref_signed (v, ask_qty, &d->ask_qty[i])
          || !ref_signed (v, bid_qty, &d->bid_qty[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ref_condition (JsonObject         *entry,
               JsonObject         *v,
               HogaConditionEvent *c)
{
  const char *io;

  if (ref_field (v, "843", &io) != FIELD_STRING)
    return FALSE;
  if (!g_str_equal (io, "I") && !g_str_equal (io, "D"))
    return FALSE;
  c->inserted = g_str_equal (io, "I");
  return ref_text (v, "841", c->seq, sizeof c->seq)
      && ref_code (entry, v, c->code)
      && ref_time (v, "20", &c->hhmmss);
}

static gboolean
ref_order (JsonObject     *entry,
           JsonObject     *v,
           HogaOrderEvent *o)
{
  return ref_text (v, "9203", o->ord_no, sizeof o->ord_no)
      && ref_text (v, "904", o->orig_ord_no, sizeof o->orig_ord_no)
      && ref_code (entry, v, o->code)
      && ref_text (v, "302", o->name, sizeof o->name)
      && ref_text (v, "909", o->fill_no, sizeof o->fill_no)
      && ref_text (v, "919", o->reject_reason, sizeof o->reject_reason)
      && ref_status (v, &o->status)
      && ref_kind (v, &o->kind)
      && ref_side (v, &o->side)
      && ref_time (v, "908", &o->hhmmss)
      && ref_signed (v, "900", &o->order_qty)
      && ref_price (v, "901", &o->order_price)
      && ref_signed (v, "902", &o->unfilled_qty)
      && ref_signed (v, "903", &o->cum_amount)
      && ref_price (v, "910", &o->fill_price)
      && ref_signed (v, "911", &o->fill_qty)
      && ref_signed (v, "938", &o->fee)
      && ref_signed (v, "939", &o->tax);
}

static gboolean
ref_balance (JsonObject       *entry,
             JsonObject       *v,
             HogaBalanceEvent *b)
{
  return ref_code (entry, v, b->code)
      && ref_text (v, "302", b->name, sizeof b->name)
      && ref_signed (v, "930", &b->qty)
      && ref_price (v, "931", &b->avg_price)
      && ref_signed (v, "932", &b->purchase_amount)
      && ref_signed (v, "933", &b->sellable_qty)
      && ref_price (v, "10", &b->price)
      && ref_signed (v, "990", &b->realized_pnl)
      && ref_rate (v, "8019", &b->profit_bp);
}

static gboolean
ref_session (JsonObject       *v,
             HogaSessionEvent *s)
{
  return ref_text (v, "215", s->code, sizeof s->code)
      && ref_time (v, "20", &s->hhmmss)
      && ref_signed (v, "214", &s->remaining_s);
}

static gboolean
ref_entry (JsonNode        *node,
           gint64           received_us,
           KiwoomRealEntry *e)
{
  JsonObject *entry;
  JsonNode *values_node;
  JsonObject *v;
  const char *type;
  const char *item;

  memset (e, 0, sizeof *e);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  entry = json_node_get_object (node);
  if (ref_field (entry, "type", &type) != FIELD_STRING
      || ref_field (entry, "item", &item) == FIELD_WRONG)
    return FALSE;
  values_node = json_object_get_member (entry, "values");
  if (values_node == NULL || !JSON_NODE_HOLDS_OBJECT (values_node))
    return FALSE;
  v = json_node_get_object (values_node);

  ref_cut (type, e->type, sizeof e->type);
  if (g_str_equal (type, "0B"))
    {
      e->kind = KIWOOM_REAL_KIND_TICK;
      e->tick.received_us = received_us;
      return ref_tick (entry, v, &e->tick);
    }
  if (g_str_equal (type, "0D"))
    {
      e->kind = KIWOOM_REAL_KIND_DEPTH;
      e->depth.received_us = received_us;
      return ref_depth (entry, v, &e->depth);
    }
  if (g_str_equal (type, "02"))
    {
      e->kind = KIWOOM_REAL_KIND_CONDITION;
      e->condition.received_us = received_us;
      return ref_condition (entry, v, &e->condition);
    }
  if (g_str_equal (type, "00"))
    {
      e->kind = KIWOOM_REAL_KIND_ORDER;
      e->order.received_us = received_us;
      return ref_order (entry, v, &e->order);
    }
  if (g_str_equal (type, "04"))
    {
      e->kind = KIWOOM_REAL_KIND_BALANCE;
      e->balance.received_us = received_us;
      return ref_balance (entry, v, &e->balance);
    }
  if (g_str_equal (type, "0s"))
    {
      e->kind = KIWOOM_REAL_KIND_SESSION;
      e->session.received_us = received_us;
      return ref_session (v, &e->session);
    }
  e->kind = KIWOOM_REAL_KIND_OTHER;
  return TRUE;
}

KiwoomRealScanStatus
kiwoom_real_reference_decode (const char           *frame,
                              gsize                 length,
                              gint64                received_us,
                              KiwoomRealEntryFunc   func,
                              gpointer              user_data,
                              KiwoomRealScanResult *result)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *data;
  JsonArray *entries;
  const char *trnm;

  memset (result, 0, sizeof *result);
  if (!json_parser_load_from_data (parser, frame, length, NULL))
    {
      result->error_reason = "json-glib could not parse it";
      return KIWOOM_REAL_SCAN_MALFORMED;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      result->error_reason = "top-level value is not an object";
      return KIWOOM_REAL_SCAN_MALFORMED;
    }
  object = json_node_get_object (root);

  if (ref_field (object, "trnm", &trnm) != FIELD_STRING)
    return KIWOOM_REAL_SCAN_NOT_REAL;
  ref_cut (trnm, result->trnm, sizeof result->trnm);
  if (!g_str_equal (trnm, "REAL"))
    return KIWOOM_REAL_SCAN_NOT_REAL;

  data = json_object_get_member (object, "data");
  if (data == NULL)
    return KIWOOM_REAL_SCAN_REAL;
  if (!JSON_NODE_HOLDS_ARRAY (data))
    {
      result->rejected = 1;
      return KIWOOM_REAL_SCAN_REAL;
    }

  entries = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      KiwoomRealEntry entry;

      if (!ref_entry (json_array_get_element (entries, i), received_us, &entry))
        {
          result->rejected++;
          continue;
        }
      result->delivered++;
      func (&entry, user_data);
    }
  return KIWOOM_REAL_SCAN_REAL;
}
