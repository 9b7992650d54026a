/* kiwoom-real-scan.c — zero-allocation scanner for Kiwoom WebSocket REAL frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pass one (validate_frame) is a strict, iterative JSON checker over the bytes with explicit
 * bounds. Pass two walks the same bytes again trusting what pass one proved: every string is
 * closed, every bracket matched, every escape complete. That is why the walkers below read
 * without length checks, and why they must only ever be called after a successful pass one.
 */
#define G_LOG_DOMAIN "hoga-kiwoom"

#include "config.h"

#include <string.h>

#include "kiwoom-real-scan.h"

/* The FIDs read by some event type, each with one slot in a per-entry table of value
 * positions. 0D's 41–80 run is one block. */
enum {
  SLOT_10, SLOT_11, SLOT_12, SLOT_13, SLOT_14, SLOT_15, SLOT_16, SLOT_17, SLOT_18,
  SLOT_20, SLOT_21, SLOT_25, SLOT_27, SLOT_28, SLOT_121, SLOT_125, SLOT_214, SLOT_215,
  SLOT_290, SLOT_302, SLOT_841, SLOT_843, SLOT_900, SLOT_901, SLOT_902, SLOT_903, SLOT_904,
  SLOT_905, SLOT_907, SLOT_908, SLOT_909, SLOT_910, SLOT_911, SLOT_913, SLOT_919, SLOT_930,
  SLOT_931, SLOT_932, SLOT_933, SLOT_938, SLOT_939, SLOT_990, SLOT_8019, SLOT_9001,
  SLOT_9203,
  SLOT_DEPTH,                   /* FIDs 41–80 */
  N_SLOTS = SLOT_DEPTH + 40,
  SLOT_NONE = N_SLOTS,
};

/* Byte classes inside a string: what stops the plain-ASCII fast loop. */
enum {
  CH_PLAIN,
  CH_QUOTE,
  CH_ESCAPE,
  CH_CONTROL,
  CH_HIGH,
};

static const guint8 string_class[256] = {
  [0x00 ... 0x1f] = CH_CONTROL,
  ['"'] = CH_QUOTE,
  ['\\'] = CH_ESCAPE,
  [0x80 ... 0xff] = CH_HIGH,
};

typedef struct {
  const guchar *start;
  const guchar *end;
  const guchar *p;
  const char   *reason;
  const char   *trnm;           /* where the top level's last "trnm" value starts */
  const char   *data;           /* and its last "data" value */
} Checker;

static inline gboolean
is_ws (guchar c)
{
  return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reading strings that have been validated: pass two, and pass one right after
 * check_string() has accepted one. */

static inline guint
hex4 (const char *p)
{
  return hex_value (p[0]) << 12 | hex_value (p[1]) << 8 | hex_value (p[2]) << 4 | hex_value (p[3]);
}

/* The next character of a string as a code point, advancing *@pp. Returns 0 at the closing
 * quote and at U+0000, where json-glib's C strings end too. */
static inline gunichar
string_next (const char **pp)
{
  const guchar *p = (const guchar *) *pp;
  gunichar c = *p;
  guint n;

  if (c == '"')
    return 0;

  if (c < 0x80 && c != '\\')
    {
      *pp += 1;
      return c;
    }

  if (c == '\\')
    {
      n = 2;
      switch (p[1])
        {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          c = hex4 ((const char *) p + 2);
          n = 6;
          if (c >= 0xd800 && c <= 0xdbff)
            {
              c = 0x10000 + ((c - 0xd800) << 10) + (hex4 ((const char *) p + 8) - 0xdc00);
              n = 12;
            }
          break;
        default:                /* '"', '\\' and '/' stand for themselves */
          c = p[1];
          break;
        }
    }
  else if (c < 0xe0)
    {
      c = (c & 0x1f) << 6 | (p[1] & 0x3f);
      n = 2;
    }
  else if (c < 0xf0)
    {
      c = (c & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f);
      n = 3;
    }
  else
    {
      c = (c & 0x07) << 18 | (p[1] & 0x3f) << 12 | (p[2] & 0x3f) << 6 | (p[3] & 0x3f);
      n = 4;
    }

  if (c != 0)
    *pp += n;
  return c;
}

static gboolean
string_equal (const char *v,
              const char *literal)
{
  const char *q = v + 1;
  gunichar c;

  while ((c = string_next (&q)) != 0)
    {
      if (c != (guchar) *literal)
        return FALSE;
      literal++;
    }
  return *literal == '\0';
}

/* Unescapes the string at @v (its opening quote) into @out, cut at a character boundary.
 * Returns whether all of it fitted. */
static gboolean
copy_text (const char *v,
           char       *out,
           gsize       size)
{
  const char *q = v + 1;
  gsize len = 0;
  gunichar c;

  while ((c = string_next (&q)) != 0)
    {
      char utf8[6];
      int n = g_unichar_to_utf8 (c, utf8);

      if (len + n > size - 1)
        {
          out[len] = '\0';
          return FALSE;
        }
      memcpy (out + len, utf8, n);
      len += n;
    }
  out[len] = '\0';
  return TRUE;
}

static gboolean
check_fail (Checker    *ck,
            const char *reason)
{
  ck->reason = reason;
  return FALSE;
}

static inline void
check_skip_ws (Checker *ck)
{
  while (ck->p < ck->end && is_ws (*ck->p))
    ck->p++;
}

/* Reads the four hex digits of a \u escape at ck->p (just past the 'u'). */
static gboolean
check_hex4 (Checker *ck,
            guint   *unit)
{
  *unit = 0;
  if (ck->end - ck->p < 4)
    return check_fail (ck, "truncated \\u escape");
  for (guint i = 0; i < 4; i++)
    {
      int v = hex_value (ck->p[i]);

      if (v < 0)
        {
          ck->p += i;
          return check_fail (ck, "bad hex digit in \\u escape");
        }
      *unit = (*unit << 4) | v;
    }
  ck->p += 4;
  return TRUE;
}

/* Strict UTF-8, as g_utf8_validate(): no overlongs, no surrogates, nothing past U+10FFFF. */
static gboolean
check_utf8 (Checker *ck)
{
  const guchar *p = ck->p;
  guchar lo = 0x80;
  guchar hi = 0xbf;
  guint more;

  if (*p >= 0xc2 && *p <= 0xdf)
    more = 1;
  else if (*p >= 0xe0 && *p <= 0xef)
    {
      more = 2;
      if (*p == 0xe0)
        lo = 0xa0;
      else if (*p == 0xed)
        hi = 0x9f;
    }
  else if (*p >= 0xf0 && *p <= 0xf4)
    {
      more = 3;
      if (*p == 0xf0)
        lo = 0x90;
      else if (*p == 0xf4)
        hi = 0x8f;
    }
  else
    return check_fail (ck, "invalid UTF-8");

  if ((gsize) (ck->end - p) <= more)
    return check_fail (ck, "truncated UTF-8 sequence");
  if (p[1] < lo || p[1] > hi)
    return check_fail (ck, "invalid UTF-8");
  for (guint i = 2; i <= more; i++)
    {
      if (p[i] < 0x80 || p[i] > 0xbf)
        return check_fail (ck, "invalid UTF-8");
    }
  ck->p += more + 1;
  return TRUE;
}

/* Checks the rest of a string from ck->p, somewhere inside it, to past its closing quote. */
static gboolean
check_string_rest (Checker *ck)
{
  for (;;)
    {
      while (ck->p < ck->end && string_class[*ck->p] == CH_PLAIN)
        ck->p++;
      if (ck->p == ck->end)
        return check_fail (ck, "unterminated string");

      switch (string_class[*ck->p])
        {
        case CH_QUOTE:
          ck->p++;
          return TRUE;

        case CH_CONTROL:
          return check_fail (ck, "control character in string");

        case CH_HIGH:
          if (!check_utf8 (ck))
            return FALSE;
          break;

        case CH_ESCAPE:
          if (ck->end - ck->p < 2)
            return check_fail (ck, "truncated escape");
          ck->p++;
          switch (*ck->p)
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              ck->p++;
              break;

            case 'u':
              {
                guint unit;

                ck->p++;
                if (!check_hex4 (ck, &unit))
                  return FALSE;
                if (unit >= 0xdc00 && unit <= 0xdfff)
                  return check_fail (ck, "unpaired low surrogate");
                if (unit >= 0xd800 && unit <= 0xdbff)
                  {
                    if (ck->end - ck->p < 2 || ck->p[0] != '\\' || ck->p[1] != 'u')
                      return check_fail (ck, "unpaired high surrogate");
                    ck->p += 2;
                    if (!check_hex4 (ck, &unit))
                      return FALSE;
                    if (unit < 0xdc00 || unit > 0xdfff)
                      return check_fail (ck, "unpaired high surrogate");
                  }
              }
              break;

            default:
              return check_fail (ck, "unknown escape");
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* Most strings in a frame are short and plain ASCII: that case stays inline. */
static inline gboolean
check_string (Checker *ck)
{
  const guchar *p = ck->p + 1;

  while (p < ck->end && string_class[*p] == CH_PLAIN)
    p++;
  if (p < ck->end && *p == '"')
    {
      ck->p = p + 1;
      return TRUE;
    }
  ck->p = p;
  return check_string_rest (ck);
}

static gboolean
check_digits (Checker *ck)
{
  if (ck->p == ck->end || !g_ascii_isdigit (*ck->p))
    return check_fail (ck, "digit expected in number");
  while (ck->p < ck->end && g_ascii_isdigit (*ck->p))
    ck->p++;
  return TRUE;
}

static gboolean
check_number (Checker *ck)
{
  if (*ck->p == '-')
    ck->p++;
  if (ck->p < ck->end && *ck->p == '0')
    ck->p++;
  else if (!check_digits (ck))
    return FALSE;
  if (ck->p < ck->end && *ck->p == '.')
    {
      ck->p++;
      if (!check_digits (ck))
        return FALSE;
    }
  if (ck->p < ck->end && (*ck->p == 'e' || *ck->p == 'E'))
    {
      ck->p++;
      if (ck->p < ck->end && (*ck->p == '+' || *ck->p == '-'))
        ck->p++;
      if (!check_digits (ck))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_literal (Checker    *ck,
               const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (ck->end - ck->p) < n || memcmp (ck->p, word, n) != 0)
    return check_fail (ck, "invalid literal");
  ck->p += n;
  return TRUE;
}

/* A member name and its ':'. The two top-level keys pass two needs are spotted here, which
 * spares it a walk over the frame; the name was just validated, so string_equal() may read
 * it. */
static inline gboolean
check_key (Checker      *ck,
           guint         depth,
           const char ***record)
{
  const char *key = (const char *) ck->p;

  if (ck->p == ck->end || *ck->p != '"')
    return check_fail (ck, "member name expected");
  if (!check_string (ck))
    return FALSE;
  if (depth == 1 && string_equal (key, "trnm"))
    *record = &ck->trnm;
  else if (depth == 1 && string_equal (key, "data"))
    *record = &ck->data;

  check_skip_ws (ck);
  if (ck->p == ck->end || *ck->p != ':')
    return check_fail (ck, "':' expected");
  ck->p++;
  return TRUE;
}

static inline gboolean
stack_is_object (const guint8 *bits,
                 guint         level)
{
  return (bits[level / 8] >> (level % 8)) & 1;
}

/* Pass one. The nesting stack is a bit set (1 = object), so any depth up to the limit costs
 * 64 bytes of stack and no recursion. */
static gboolean
validate_frame (Checker *ck)
{
  enum { WANT_VALUE, WANT_KEY, AFTER_VALUE } state = WANT_VALUE;
  guint8 is_object[KIWOOM_REAL_MAX_DEPTH / 8];
  guint depth = 0;
  const char **record = NULL;

  for (;;)
    {
      check_skip_ws (ck);

      switch (state)
        {
        case WANT_KEY:
          /* The bulk of a frame is "FID":"text" members: a run of them is checked here
           * without going round the state machine for each. */
          for (;;)
            {
              if (!check_key (ck, depth, &record))
                return FALSE;
              check_skip_ws (ck);
              if (record != NULL || ck->p == ck->end || *ck->p != '"')
                {
                  state = WANT_VALUE;
                  break;
                }
              if (!check_string (ck))
                return FALSE;
              check_skip_ws (ck);
              if (ck->p == ck->end || *ck->p != ',')
                {
                  state = AFTER_VALUE;
                  break;
                }
              ck->p++;
              check_skip_ws (ck);
            }
          break;

        case WANT_VALUE:
          if (ck->p == ck->end)
            return check_fail (ck, "value expected");
          if (record != NULL)
            {
              *record = (const char *) ck->p;
              record = NULL;
            }
          state = AFTER_VALUE;
          switch (*ck->p)
            {
            case '{':
            case '[':
              {
                gboolean object = *ck->p == '{';

                if (depth == KIWOOM_REAL_MAX_DEPTH)
                  return check_fail (ck, "nested too deeply");
                if (object)
                  is_object[depth / 8] |= 1u << (depth % 8);
                else
                  is_object[depth / 8] &= ~(1u << (depth % 8));
                depth++;
                ck->p++;
                check_skip_ws (ck);
                if (ck->p < ck->end && *ck->p == (object ? '}' : ']'))
                  {
                    depth--;
                    ck->p++;
                  }
                else
                  state = object ? WANT_KEY : WANT_VALUE;
              }
              break;

            case '"':
              if (!check_string (ck))
                return FALSE;
              break;

            case 't':
              if (!check_literal (ck, "true"))
                return FALSE;
              break;

            case 'f':
              if (!check_literal (ck, "false"))
                return FALSE;
              break;

            case 'n':
              if (!check_literal (ck, "null"))
                return FALSE;
              break;

            default:
              if (*ck->p != '-' && !g_ascii_isdigit (*ck->p))
                return check_fail (ck, "value expected");
              if (!check_number (ck))
                return FALSE;
              break;
            }
          break;

        case AFTER_VALUE:
          if (depth == 0)
            {
              if (ck->p != ck->end)
                return check_fail (ck, "data after the top-level value");
              return TRUE;
            }
          if (ck->p == ck->end)
            return check_fail (ck, "unexpected end of frame");
          if (*ck->p == ',')
            state = stack_is_object (is_object, depth - 1) ? WANT_KEY : WANT_VALUE;
          else if (*ck->p == (stack_is_object (is_object, depth - 1) ? '}' : ']'))
            depth--;
          else if (stack_is_object (is_object, depth - 1))
            return check_fail (ck, "',' or '}' expected");
          else
            return check_fail (ck, "',' or ']' expected");
          ck->p++;
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* Pass two, over a validated frame only. */

static inline const char *
skip_ws (const char *p)
{
  while (is_ws (*p))
    p++;
  return p;
}

/* @p is at the opening quote; returns just past the closing one. */
static inline const char *
skip_string (const char *p)
{
  p++;
  for (;;)
    {
      while (*p != '"' && *p != '\\')
        p++;
      if (*p == '"')
        return p + 1;
      p += 2;
    }
}

static const char *
skip_value (const char *p)
{
  guint depth = 0;

  if (*p == '"')
    return skip_string (p);

  if (*p != '{' && *p != '[')
    {
      while (*p != ',' && *p != '}' && *p != ']' && !is_ws (*p))
        p++;
      return p;
    }

  for (;;)
    {
      switch (*p)
        {
        case '"':
          p = skip_string (p);
          continue;

        case '{':
        case '[':
          depth++;
          break;

        case '}':
        case ']':
          if (--depth == 0)
            return p + 1;
          break;

        default:
          break;
        }
      p++;
    }
}

/* A FID key: 1–5 digits without a leading zero; anything else is 0, which has no slot. */
static guint
key_fid (const char *key)
{
  const char *q = key + 1;
  gunichar c = string_next (&q);
  guint fid = 0;

  if (c < '1' || c > '9')
    return 0;
  for (guint n = 0; c != 0; n++, c = string_next (&q))
    {
      if (n == 5 || c < '0' || c > '9')
        return 0;
      fid = fid * 10 + (c - '0');
    }
  return fid;
}

static guint
fid_slot (guint fid)
{
  if (fid >= 41 && fid <= 80)
    return SLOT_DEPTH + (fid - 41);

  switch (fid)
    {
    case 10: return SLOT_10;
    case 11: return SLOT_11;
    case 12: return SLOT_12;
    case 13: return SLOT_13;
    case 14: return SLOT_14;
    case 15: return SLOT_15;
    case 16: return SLOT_16;
    case 17: return SLOT_17;
    case 18: return SLOT_18;
    case 20: return SLOT_20;
    case 21: return SLOT_21;
    case 25: return SLOT_25;
    case 27: return SLOT_27;
    case 28: return SLOT_28;
    case 121: return SLOT_121;
    case 125: return SLOT_125;
    case 214: return SLOT_214;
    case 215: return SLOT_215;
    case 290: return SLOT_290;
    case 302: return SLOT_302;
    case 841: return SLOT_841;
    case 843: return SLOT_843;
    case 900: return SLOT_900;
    case 901: return SLOT_901;
    case 902: return SLOT_902;
    case 903: return SLOT_903;
    case 904: return SLOT_904;
    case 905: return SLOT_905;
    case 907: return SLOT_907;
    case 908: return SLOT_908;
    case 909: return SLOT_909;
    case 910: return SLOT_910;
    case 911: return SLOT_911;
    case 913: return SLOT_913;
    case 919: return SLOT_919;
    case 930: return SLOT_930;
    case 931: return SLOT_931;
    case 932: return SLOT_932;
    case 933: return SLOT_933;
    case 938: return SLOT_938;
    case 939: return SLOT_939;
    case 990: return SLOT_990;
    case 8019: return SLOT_8019;
    case 9001: return SLOT_9001;
    case 9203: return SLOT_9203;
    default: return SLOT_NONE;
    }
}

/* @key is at a member name's opening quote: sets *@fid (0 when the name is not a FID) and
 * returns the position after the name. Plain digits are the fast path. */
static const char *
read_fid_key (const char *key,
              guint      *fid)
{
  const char *p = key + 1;
  guint n = 0;

  while (*p >= '0' && *p <= '9' && p - key <= 5)
    {
      n = n * 10 + (*p - '0');
      p++;
    }
  if (*p == '"' && p - key > 1 && key[1] != '0')
    {
      *fid = n;
      return p + 1;
    }

  *fid = key_fid (key);
  return skip_string (key);
}

/* Records where each wanted FID's value starts in the object at @values (a repeated FID
 * keeps its last value) and returns the position after the object. */
static const char *
collect_fids (const char  *values,
              const char **slots)
{
  const char *p = skip_ws (values + 1);

  memset (slots, 0, N_SLOTS * sizeof *slots);
  if (*p == '}')
    return p + 1;

  for (;;)
    {
      guint fid;
      guint slot;

      p = skip_ws (read_fid_key (p, &fid));
      p = skip_ws (p + 1);      /* the ':' */
      slot = fid_slot (fid);
      if (slot != SLOT_NONE)
        slots[slot] = p;
      p = skip_ws (skip_value (p));
      if (*p == '}')
        return p + 1;
      p = skip_ws (p + 1);      /* the ',' */
    }
}

/* The readers below take a value position from the slot table (NULL when the FID is absent)
 * and return FALSE when the value rejects the entry. */

static gboolean
read_text (const char *v,
           char       *out,
           gsize       size)
{
  out[0] = '\0';
  if (v == NULL)
    return TRUE;
  if (*v != '"')
    return FALSE;
  copy_text (v, out, size);
  return TRUE;
}

/* An optional sign ('+', '-' or a space) and digits, as a gint64; "" is 0. */
static gboolean
read_int (const char *v,
          gboolean    absolute,
          gint64     *out)
{
  const char *q;
  gboolean negative = FALSE;
  guint64 n = 0;
  gunichar c;

  *out = 0;
  if (v == NULL)
    return TRUE;
  if (*v != '"')
    return FALSE;

  q = v + 1;
  c = string_next (&q);
  if (c == 0)
    return TRUE;
  if (c == '+' || c == '-' || c == ' ')
    {
      negative = c == '-';
      c = string_next (&q);
      if (c == 0)
        return FALSE;
    }
  for (; c != 0; c = string_next (&q))
    {
      if (c < '0' || c > '9')
        return FALSE;
      if (n > ((guint64) G_MAXINT64 - (c - '0')) / 10)
        return FALSE;
      n = n * 10 + (c - '0');
    }

  *out = negative && !absolute ? -(gint64) n : (gint64) n;
  return TRUE;
}

static gboolean
read_price (const char *v,
            gint64     *out)
{
  return read_int (v, TRUE, out);
}

static gboolean
read_signed (const char *v,
             gint64     *out)
{
  return read_int (v, FALSE, out);
}

/* A decimal percentage as hundredths, further decimals truncated: "-0.24" → -24. */
static gboolean
read_rate (const char *v,
           gint32     *out)
{
  const char *q;
  gboolean negative = FALSE;
  gint64 whole = 0;
  gint64 hundredths = 0;
  guint int_digits = 0;
  guint frac_digits = 0;
  gunichar c;

  *out = 0;
  if (v == NULL)
    return TRUE;
  if (*v != '"')
    return FALSE;

  q = v + 1;
  c = string_next (&q);
  if (c == 0)
    return TRUE;
  if (c == '+' || c == '-' || c == ' ')
    {
      negative = c == '-';
      c = string_next (&q);
    }
  for (; c >= '0' && c <= '9'; c = string_next (&q), int_digits++)
    {
      whole = whole * 10 + (c - '0');
      if (whole > G_MAXINT32)
        return FALSE;
    }
  if (int_digits == 0)
    return FALSE;
  if (c == '.')
    {
      for (c = string_next (&q); c >= '0' && c <= '9'; c = string_next (&q), frac_digits++)
        {
          if (frac_digits < 2)
            hundredths = hundredths * 10 + (c - '0');
        }
      if (frac_digits == 0)
        return FALSE;
      if (frac_digits == 1)
        hundredths *= 10;
    }
  if (c != 0)
    return FALSE;

  hundredths += whole * 100;
  if (hundredths > G_MAXINT32)
    return FALSE;
  *out = negative ? -hundredths : hundredths;
  return TRUE;
}

/* Exactly six digits, HHMMSS, as the number they spell. */
static gboolean
read_time (const char *v,
           guint32    *out)
{
  const char *q;
  guint32 n = 0;
  guint digits = 0;
  gunichar c;

  *out = 0;
  if (v == NULL)
    return TRUE;
  if (*v != '"')
    return FALSE;

  q = v + 1;
  while ((c = string_next (&q)) != 0)
    {
      if (c < '0' || c > '9' || digits == 6)
        return FALSE;
      n = n * 10 + (c - '0');
      digits++;
    }
  if (digits != 0 && digits != 6)
    return FALSE;
  *out = n;
  return TRUE;
}

/* Unsigned digits up to 255, for the one-byte codes 25 and 290. */
static gboolean
read_small (const char *v,
            guint8     *out)
{
  const char *q;
  guint n = 0;
  gunichar c;

  *out = 0;
  if (v == NULL)
    return TRUE;
  if (*v != '"')
    return FALSE;

  q = v + 1;
  while ((c = string_next (&q)) != 0)
    {
      if (c < '0' || c > '9')
        return FALSE;
      n = n * 10 + (c - '0');
      if (n > G_MAXUINT8)
        return FALSE;
    }
  *out = n;
  return TRUE;
}

#define CODE_TEXT_MAX 32

static gboolean
read_code (const char *v,
           char        out[HOGA_CODE_SIZE])
{
  char text[CODE_TEXT_MAX + 1];

  if (v == NULL || *v != '"')
    return FALSE;
  if (!copy_text (v, text, sizeof text))
    return FALSE;
  return hoga_code_normalize (text, -1, out);
}

/* FID 9001 when it is there and not "", otherwise the entry's "item". */
static gboolean
read_entry_code (const char *const *slots,
                 const char        *item,
                 char               out[HOGA_CODE_SIZE])
{
  const char *v = slots[SLOT_9001];

  if (v != NULL)
    {
      const char *q = v + 1;

      if (*v != '"')
        return FALSE;
      if (string_next (&q) != 0)
        return read_code (v, out);
    }
  return read_code (item, out);
}

/* A short keyword for the enum FIDs; one too long for @out reads as "", which matches none. */
static gboolean
read_keyword (const char *v,
              char       *out,
              gsize       size)
{
  out[0] = '\0';
  if (v == NULL)
    return TRUE;
  if (*v != '"')
    return FALSE;
  if (!copy_text (v, out, size))
    out[0] = '\0';
  return TRUE;
}

static gboolean
read_order_status (const char      *v,
                   HogaOrderStatus *out)
{
  static const char *const names[] = {
    [HOGA_ORDER_STATUS_RECEIVED] = "접수",
    [HOGA_ORDER_STATUS_FILLED] = "체결",
    [HOGA_ORDER_STATUS_CONFIRMED] = "확인",
    [HOGA_ORDER_STATUS_CANCELLED] = "취소",
    [HOGA_ORDER_STATUS_REJECTED] = "거부",
  };
  char text[16];

  *out = HOGA_ORDER_STATUS_UNKNOWN;
  if (!read_keyword (v, text, sizeof text))
    return FALSE;
  for (guint i = HOGA_ORDER_STATUS_RECEIVED; i < G_N_ELEMENTS (names); i++)
    {
      if (strcmp (text, names[i]) == 0)
        *out = i;
    }
  return TRUE;
}

static gboolean
read_order_kind (const char    *v,
                 HogaOrderKind *out)
{
  char text[32];
  const char *name = text;

  *out = HOGA_ORDER_KIND_NEW;
  if (!read_keyword (v, text, sizeof text))
    return FALSE;
  if (*name == '+' || *name == '-')
    name++;
  if (strcmp (name, "매수정정") == 0 || strcmp (name, "매도정정") == 0)
    *out = HOGA_ORDER_KIND_MODIFY;
  else if (strcmp (name, "매수취소") == 0 || strcmp (name, "매도취소") == 0)
    *out = HOGA_ORDER_KIND_CANCEL;
  return TRUE;
}

static gboolean
read_side (const char *v,
           HogaSide   *out)
{
  char text[4];

  *out = HOGA_SIDE_NONE;
  if (!read_keyword (v, text, sizeof text))
    return FALSE;
  if (strcmp (text, "1") == 0)
    *out = HOGA_SIDE_SELL;
  else if (strcmp (text, "2") == 0)
    *out = HOGA_SIDE_BUY;
  return TRUE;
}

static gboolean
read_inserted (const char *v,
               gboolean   *out)
{
  char text[4];

  if (!read_keyword (v, text, sizeof text))
    return FALSE;
  *out = strcmp (text, "I") == 0;
  return *out || strcmp (text, "D") == 0;
}

static gboolean
fill_tick (HogaTick          *tick,
           const char *const *s,
           const char        *item)
{
  return read_entry_code (s, item, tick->code)
      && read_time (s[SLOT_20], &tick->hhmmss)
      && read_small (s[SLOT_25], &tick->sign)
      && read_small (s[SLOT_290], &tick->session)
      && read_price (s[SLOT_10], &tick->price)
      && read_signed (s[SLOT_11], &tick->change)
      && read_rate (s[SLOT_12], &tick->change_bp)
      && read_signed (s[SLOT_15], &tick->volume)
      && read_signed (s[SLOT_13], &tick->cum_volume)
      && read_signed (s[SLOT_14], &tick->cum_value)
      && read_price (s[SLOT_16], &tick->open)
      && read_price (s[SLOT_17], &tick->high)
      && read_price (s[SLOT_18], &tick->low)
      && read_price (s[SLOT_27], &tick->best_ask)
      && read_price (s[SLOT_28], &tick->best_bid);
}

static gboolean
fill_depth (HogaDepth         *depth,
            const char *const *s,
            const char        *item)
{
  if (!read_entry_code (s, item, depth->code)
      || !read_time (s[SLOT_21], &depth->hhmmss)
      || !read_signed (s[SLOT_121], &depth->total_ask_qty)
      || !read_signed (s[SLOT_125], &depth->total_bid_qty))
    return FALSE;

  /* FIDs 41–50 asks, 51–60 bids, 61–70 ask sizes, 71–80 bid sizes */
  for (guint i = 0; i < HOGA_DEPTH_LEVELS; i++)
    {
      const char *const *level = s + SLOT_DEPTH + i;

      if (!read_price (level[0], &depth->ask[i])
          || !read_price (level[10], &depth->bid[i])
          || !read_signed (level[20], &depth->ask_qty[i])
          || !read_signed (level[30], &depth->bid_qty[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fill_condition (HogaConditionEvent *condition,
                const char *const  *s,
                const char         *item)
{
  return read_text (s[SLOT_841], condition->seq, sizeof condition->seq)
      && read_entry_code (s, item, condition->code)
      && read_inserted (s[SLOT_843], &condition->inserted)
      && read_time (s[SLOT_20], &condition->hhmmss);
}

static gboolean
fill_order (HogaOrderEvent    *order,
            const char *const *s,
            const char        *item)
{
  return read_text (s[SLOT_9203], order->ord_no, sizeof order->ord_no)
      && read_text (s[SLOT_904], order->orig_ord_no, sizeof order->orig_ord_no)
      && read_entry_code (s, item, order->code)
      && read_text (s[SLOT_302], order->name, sizeof order->name)
      && read_text (s[SLOT_909], order->fill_no, sizeof order->fill_no)
      && read_text (s[SLOT_919], order->reject_reason, sizeof order->reject_reason)
      && read_order_status (s[SLOT_913], &order->status)
      && read_order_kind (s[SLOT_905], &order->kind)
      && read_side (s[SLOT_907], &order->side)
      && read_time (s[SLOT_908], &order->hhmmss)
      && read_signed (s[SLOT_900], &order->order_qty)
      && read_price (s[SLOT_901], &order->order_price)
      && read_signed (s[SLOT_902], &order->unfilled_qty)
      && read_signed (s[SLOT_903], &order->cum_amount)
      && read_price (s[SLOT_910], &order->fill_price)
      && read_signed (s[SLOT_911], &order->fill_qty)
      && read_signed (s[SLOT_938], &order->fee)
      && read_signed (s[SLOT_939], &order->tax);
}

static gboolean
fill_balance (HogaBalanceEvent  *balance,
              const char *const *s,
              const char        *item)
{
  return read_entry_code (s, item, balance->code)
      && read_text (s[SLOT_302], balance->name, sizeof balance->name)
      && read_signed (s[SLOT_930], &balance->qty)
      && read_price (s[SLOT_931], &balance->avg_price)
      && read_signed (s[SLOT_932], &balance->purchase_amount)
      && read_signed (s[SLOT_933], &balance->sellable_qty)
      && read_price (s[SLOT_10], &balance->price)
      && read_signed (s[SLOT_990], &balance->realized_pnl)
      && read_rate (s[SLOT_8019], &balance->profit_bp);
}

static gboolean
fill_session (HogaSessionEvent  *session,
              const char *const *s)
{
  return read_text (s[SLOT_215], session->code, sizeof session->code)
      && read_time (s[SLOT_20], &session->hhmmss)
      && read_signed (s[SLOT_214], &session->remaining_s);
}

static KiwoomRealKind
kind_from_type (const char *type)
{
  static const char *const types[] = {
    [KIWOOM_REAL_KIND_TICK] = "0B",
    [KIWOOM_REAL_KIND_DEPTH] = "0D",
    [KIWOOM_REAL_KIND_CONDITION] = "02",
    [KIWOOM_REAL_KIND_ORDER] = "00",
    [KIWOOM_REAL_KIND_BALANCE] = "04",
    [KIWOOM_REAL_KIND_SESSION] = "0s",
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (strcmp (type, types[i]) == 0)
        return i;
    }
  return KIWOOM_REAL_KIND_OTHER;
}

/* Decodes the "data" element at @element into @entry, setting *@ok to FALSE to reject it;
 * returns the position after the element. */
static const char *
decode_entry (const char      *element,
              gint64           received_us,
              KiwoomRealEntry *entry,
              gboolean        *ok)
{
  const char *slots[N_SLOTS];
  const char *type = NULL;
  const char *item = NULL;
  const char *values = NULL;
  const char *p;

  *ok = FALSE;
  if (*element != '{')
    return skip_value (element);

  /* One walk: "values" is taken apart where it stands, whatever order the keys come in. */
  p = skip_ws (element + 1);
  while (*p != '}')
    {
      const char *key = p;
      const char *value;

      p = skip_ws (skip_string (key));
      value = skip_ws (p + 1);
      if (string_equal (key, "values"))
        {
          values = value;
          p = *value == '{' ? collect_fids (value, slots) : skip_value (value);
        }
      else
        {
          if (string_equal (key, "type"))
            type = value;
          else if (string_equal (key, "item"))
            item = value;
          p = skip_value (value);
        }
      p = skip_ws (p);
      if (*p == ',')
        p = skip_ws (p + 1);
    }
  p++;

  if (type == NULL || *type != '"' || values == NULL || *values != '{'
      || (item != NULL && *item != '"'))
    return p;

  memset (entry, 0, sizeof *entry);
  entry->kind = copy_text (type, entry->type, sizeof entry->type)
    ? kind_from_type (entry->type) : KIWOOM_REAL_KIND_OTHER;

  switch (entry->kind)
    {
    case KIWOOM_REAL_KIND_TICK:
      entry->tick.received_us = received_us;
      *ok = fill_tick (&entry->tick, slots, item);
      break;

    case KIWOOM_REAL_KIND_DEPTH:
      entry->depth.received_us = received_us;
      *ok = fill_depth (&entry->depth, slots, item);
      break;

    case KIWOOM_REAL_KIND_CONDITION:
      entry->condition.received_us = received_us;
      *ok = fill_condition (&entry->condition, slots, item);
      break;

    case KIWOOM_REAL_KIND_ORDER:
      entry->order.received_us = received_us;
      *ok = fill_order (&entry->order, slots, item);
      break;

    case KIWOOM_REAL_KIND_BALANCE:
      entry->balance.received_us = received_us;
      *ok = fill_balance (&entry->balance, slots, item);
      break;

    case KIWOOM_REAL_KIND_SESSION:
      entry->session.received_us = received_us;
      *ok = fill_session (&entry->session, slots);
      break;

    case KIWOOM_REAL_KIND_OTHER:
      *ok = TRUE;
      break;

    default:
      g_assert_not_reached ();
    }
  return p;
}

KiwoomRealScanStatus
kiwoom_real_scan (const char           *frame,
                  gsize                 length,
                  gint64                received_us,
                  KiwoomRealEntryFunc   func,
                  gpointer              user_data,
                  KiwoomRealScanResult *result)
{
  Checker ck = { 0 };
  const char *p;

  g_return_val_if_fail (frame != NULL || length == 0, KIWOOM_REAL_SCAN_MALFORMED);
  g_return_val_if_fail (func != NULL, KIWOOM_REAL_SCAN_MALFORMED);
  g_return_val_if_fail (result != NULL, KIWOOM_REAL_SCAN_MALFORMED);

  memset (result, 0, sizeof *result);
  if (length == 0)
    {
      result->error_reason = "empty frame";
      return KIWOOM_REAL_SCAN_MALFORMED;
    }

  ck.start = ck.p = (const guchar *) frame;
  ck.end = ck.start + length;
  if (!validate_frame (&ck))
    {
      result->error_offset = ck.p - ck.start;
      result->error_reason = ck.reason;
      return KIWOOM_REAL_SCAN_MALFORMED;
    }

  p = skip_ws (frame);
  if (*p != '{')
    {
      result->error_offset = p - frame;
      result->error_reason = "top-level value is not an object";
      return KIWOOM_REAL_SCAN_MALFORMED;
    }

  if (ck.trnm == NULL || *ck.trnm != '"')
    return KIWOOM_REAL_SCAN_NOT_REAL;
  copy_text (ck.trnm, result->trnm, sizeof result->trnm);
  if (!string_equal (ck.trnm, "REAL"))
    return KIWOOM_REAL_SCAN_NOT_REAL;

  if (ck.data == NULL)
    return KIWOOM_REAL_SCAN_REAL;
  if (*ck.data != '[')
    {
      result->rejected = 1;
      return KIWOOM_REAL_SCAN_REAL;
    }

  p = skip_ws (ck.data + 1);
  while (*p != ']')
    {
      KiwoomRealEntry entry;
      gboolean ok;

      p = skip_ws (decode_entry (p, received_us, &entry, &ok));
      if (*p == ',')
        p = skip_ws (p + 1);

      if (!ok)
        {
          result->rejected++;
          continue;
        }
      result->delivered++;
      func (&entry, user_data);
    }
  return KIWOOM_REAL_SCAN_REAL;
}
