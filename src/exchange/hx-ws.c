/* hx-ws.c — the WebSocket server: LOGIN, PING, REG/REMOVE, REAL pushes, CNSR*
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "hx-ws.h"

#define HX_WS_PATH "/api/dostk/websocket"

/* The one account every token is bound to (the spec's sample number, FID 9201). */

/* R10004 reminders before a session that never logs in is closed. */
#define HX_WS_LOGIN_REMINDERS 3

/* Flood frames queued per writable event: enough to amortise the wake-up, few enough
 * that libsoup's output queue stays small when the peer reads slowly. */
#define HX_WS_FLOOD_BATCH 256

/* Below libsoup's own I/O (G_PRIORITY_DEFAULT), so its output queue drains before a
 * flood refills it, and below idles, so account events are not starved. */
#define HX_WS_FLOOD_PRIORITY G_PRIORITY_LOW

/* Listed shares are not in the symbol data; assume a normal day trades 1 % of them,
 * for 거래회전율 (31) and 시가총액 (311). */
#define HX_WS_LISTED_PER_DAY_VOLUME 100

#define HX_WS_HUGE_FRAME_SIZE (1024 * 1024)

/* Incoming messages over 128 KiB close the session with 1009, as documented. libsoup
 * 3.2 enforces its own 128 KiB frame limit by dropping the TCP connection without a
 * close frame, so its limit is raised past ours and the check is done here. */
#define HX_WS_MAX_MESSAGE_SIZE (128 * 1024)
#define HX_WS_MAX_FRAME_SIZE   (16 * 1024 * 1024)

/* Per-symbol running figures that HxSymbol does not keep but 0B, 0D and 04 report. */
typedef struct
{
  gint64  buy_volume;
  gint64  sell_volume;
  guint64 buy_trades;
  guint64 sell_trades;
  gint64  high;                  /* last seen high/low, to stamp 1891/1892 when they move */
  gint64  low;
  char    open_time[7];
  char    high_time[7];
  char    low_time[7];
  char    upper_time[7];
  char    lower_time[7];
  HxSide  last_fill_side;        /* of the account's last fill, for 04 FID 946 */
  HxBook *book;                  /* the last 0D book, for the 직전대비 FIDs */
} Tally;

typedef struct
{
  HxSymbol  symbol;              /* a private copy whose price walks */
  Tally     tally;
  guint64   count;
  guint64   remaining;
  gint64    started_us;
  guint32   rng;
  GSource  *source;
} Flood;

typedef struct
{
  HxWs                    *ws;            /* borrowed: the server outlives its sessions */
  guint                    id;
  SoupWebsocketConnection *connection;
  GSocket                 *socket;        /* owned by the connection's stream, see websocket_cb() */
  char                    *peer;
  char                    *app_key;
  gboolean                 logged_in;
  gboolean                 cnsrlst_done;
  gboolean                 closing;

  GHashTable              *groups;        /* grp_no → set of "TYPE\tITEM" */
  GHashTable              *registered;    /* "TYPE\tITEM" → number of groups holding it */
  GPtrArray               *conditions;    /* seqs of the running realtime conditions */

  guint                    missed_pings;
  guint                    login_reminders;
  guint                    ping_id;
  guint                    login_id;

  GString                 *pending;       /* the REAL frame being batched */
  guint                    n_pending;
  guint                    flush_id;

  Flood                   *flood;
} Session;

struct _HxWs
{
  GObject     parent_instance;

  HxExchange *exchange;          /* borrowed: it owns us */
  SoupServer *server;
  guint16     port;
  gboolean    listening;

  GPtrArray  *sessions;
  guint       last_session_id;

  GArray     *tallies;           /* Tally by HxSymbol.index */
  GString    *values;            /* scratch: the 0B values shared by every session */
  GString    *book_values;       /* scratch: the 0D values shared by every session */
  GString    *entry;             /* scratch: one entry */
  GString    *frame;             /* scratch: one control or flood frame */
};

G_DEFINE_FINAL_TYPE (HxWs, hx_ws, G_TYPE_OBJECT)

typedef enum {
  ITEM_STOCK,                    /* a stock code, "_NX"/"_AL" suffix allowed */
  ITEM_SECTOR,                   /* any non-empty code (sectors, gold) */
  ITEM_NONE,                     /* account and market-wide types: the item is "" */
} ItemKind;

/* kiwoom-protocol.md §5.6 */
static const struct {
  const char *type;
  ItemKind    kind;
} real_types[] = {
  { "00", ITEM_NONE },   { "04", ITEM_NONE },   { "0A", ITEM_STOCK },  { "0B", ITEM_STOCK },
  { "0C", ITEM_STOCK },  { "0D", ITEM_STOCK },  { "0E", ITEM_STOCK },  { "0F", ITEM_STOCK },
  { "0G", ITEM_STOCK },  { "0H", ITEM_STOCK },  { "0I", ITEM_SECTOR }, { "0J", ITEM_SECTOR },
  { "0U", ITEM_SECTOR }, { "0g", ITEM_STOCK },  { "0m", ITEM_STOCK },  { "0s", ITEM_NONE },
  { "0u", ITEM_STOCK },  { "0w", ITEM_STOCK },  { "1h", ITEM_NONE },
};

/* Suffixes a realtime item may carry; 9081 is "2" for NXT, "1" otherwise. */
static const char * const item_suffixes[] = { "", "_NX", "_AL" };

static const char * const malformed_kinds[] = { HX_MALFORMED_KINDS };

#define MSG_R10001 "동일한 App key로 접속이 되었습니다. 기존 세션은 종료가 됩니다"
#define MSG_R10002 "사용자 프로그램으로부터 Heartbeat(연결유지) 메시지가 오지않아서 접속을 종료합니다"
#define MSG_R10004 "접속허용요청이 들어오지 않았습니다"
#define MSG_R10010 "메시지 형식이 올바르지 않습니다"
#define MSG_LOGIN_FAILED "토큰 인증에 실패했습니다 [CODE=8005, MESSAGE=Token이 유효하지 않습니다]"

static void
append_escaped (GString    *s,
                const char *text)
{
  const char *run = text;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c != '"' && c != '\\' && c >= 0x20)
        continue;

      g_string_append_len (s, run, p - run);
      if (c == '"')
        g_string_append (s, "\\\"");
      else if (c == '\\')
        g_string_append (s, "\\\\");
      else
        g_string_append_printf (s, "\\u%04x", c);
      run = p + 1;
    }
  g_string_append (s, run);
}

static char *
write_digits (char    *p,
              guint64  value,
              int      width)
{
  char digits[24];
  int n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);

  for (; width > n; width--)
    *p++ = '0';
  while (n > 0)
    *p++ = digits[--n];

  return p;
}

static char *
write_key (char  *p,
           guint  fid)
{
  *p++ = '"';
  p = write_digits (p, fid, 0);
  memcpy (p, "\":\"", 3);
  return p + 3;
}

/* Appends "fid":"<sign><digits>", in a single append: this is the hot path of every
 * REAL frame, flood mode included. */
static void
put_number (GString *s,
            guint    fid,
            char     sign,
            guint64  magnitude,
            int      width)
{
  char buf[64];
  char *p = write_key (buf, fid);

  if (sign != '\0')
    *p++ = sign;
  p = write_digits (p, magnitude, width);
  *p++ = '"';
  *p++ = ',';
  g_string_append_len (s, buf, p - buf);
}

static guint64
magnitude_of (gint64 value)
{
  return value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
}

/* A plain number: "-" when negative, no "+" (quantities, amounts). */
static void
put_int (GString *s,
         guint    fid,
         gint64   value)
{
  put_number (s, fid, value < 0 ? '-' : '\0', magnitude_of (value), 0);
}

/* A signed change: "+12", "-12", "0" (kiwoom-protocol.md §7.3). */
static void
put_signed (GString *s,
            guint    fid,
            gint64   value)
{
  put_number (s, fid, value > 0 ? '+' : value < 0 ? '-' : '\0', magnitude_of (value), 0);
}

/* A price whose sign is its direction against the base price, not a negative price
 * (§7.2); a missing price (0) has no sign. */
static void
put_price (GString *s,
           guint    fid,
           gint64   price,
           gint64   base)
{
  char sign = '\0';

  if (price > 0 && price > base)
    sign = '+';
  else if (price > 0 && price < base)
    sign = '-';
  put_number (s, fid, sign, magnitude_of (price), 0);
}

/* 9-character zero padding of the one-shot condition search: "-" plus 8 digits when
 * negative (§6). */
static void
put_padded (GString *s,
            guint    fid,
            gint64   value)
{
  put_number (s, fid, value < 0 ? '-' : '\0', magnitude_of (value), value < 0 ? 8 : 9);
}

/* A value in hundredths as a decimal string with an explicit sign: "+1.23", "1.23";
 * a value that rounds to zero is "0.00" whatever the sign. */
static void
put_decimal (GString *s,
             guint    fid,
             char     sign,
             guint64  hundredths)
{
  char buf[64];
  char *p = write_key (buf, fid);

  if (sign != '\0' && hundredths > 0)
    *p++ = sign;
  p = write_digits (p, hundredths / 100, 0);
  *p++ = '.';
  p = write_digits (p, hundredths % 100, 2);
  *p++ = '"';
  *p++ = ',';
  g_string_append_len (s, buf, p - buf);
}

/* "+1.23" (with @plus_sign) / "-1.23" / "0.00". */
static void
put_hundredths (GString  *s,
                guint     fid,
                gint64    hundredths,
                gboolean  plus_sign)
{
  char sign = '\0';

  if (hundredths < 0)
    sign = '-';
  else if (hundredths > 0 && plus_sign)
    sign = '+';
  put_decimal (s, fid, sign, magnitude_of (hundredths));
}

static void
put_text (GString    *s,
          guint       fid,
          const char *text)
{
  char buf[16];
  char *p = write_key (buf, fid);

  g_string_append_len (s, buf, p - buf);
  append_escaped (s, text);
  g_string_append_len (s, "\",", 2);
}

/* A time FID that reads "000000" until it has happened. */
static void
put_time (GString    *s,
          guint       fid,
          const char *hhmmss)
{
  put_text (s, fid, hhmmss[0] != '\0' ? hhmmss : "000000");
}

/* Closes an object whose members each end in ','. */
static void
close_object (GString *s)
{
  if (s->len > 0 && s->str[s->len - 1] == ',')
    s->str[s->len - 1] = '}';
  else
    g_string_append_c (s, '}');
}

static void
entry_begin (GString    *s,
             const char *type,
             const char *name,
             const char *item)
{
  g_string_append (s, "{\"type\":\"");
  g_string_append (s, type);
  g_string_append (s, "\",\"name\":\"");
  g_string_append (s, name);
  g_string_append (s, "\",\"item\":\"");
  append_escaped (s, item);
  g_string_append (s, "\",\"values\":{");
}

/* Rounded half away from zero. */
static gint64
div_round (gint64 num,
           gint64 den)
{
  if (den == 0)
    return 0;
  if ((num < 0) != (den < 0))
    return (num - den / 2) / den;
  return (num + den / 2) / den;
}

/* num / den as a percentage in hundredths. */
static gint64
percent_hundredths (gint64 num,
                    gint64 den)
{
  return div_round (num * 10000, den);
}

static Tally *
lookup_tally (HxWs           *self,
              const HxSymbol *symbol)
{
  if (symbol->index >= self->tallies->len)
    g_array_set_size (self->tallies, symbol->index + 1);
  return &g_array_index (self->tallies, Tally, symbol->index);
}

static void
tally_clear (gpointer data)
{
  Tally *tally = data;

  g_clear_pointer (&tally->book, g_free);
}

static void
tally_add_trade (Tally          *tally,
                 const HxSymbol *symbol,
                 gint64          price,
                 gint64          qty,
                 const char     *hhmmss)
{
  if (qty < 0)
    {
      tally->sell_volume += -qty;
      tally->sell_trades++;
    }
  else
    {
      tally->buy_volume += qty;
      tally->buy_trades++;
    }

  if (tally->open_time[0] == '\0')
    g_strlcpy (tally->open_time, hhmmss, sizeof tally->open_time);
  if (symbol->high != tally->high)
    {
      tally->high = symbol->high;
      g_strlcpy (tally->high_time, hhmmss, sizeof tally->high_time);
    }
  if (symbol->low != tally->low)
    {
      tally->low = symbol->low;
      g_strlcpy (tally->low_time, hhmmss, sizeof tally->low_time);
    }
  if (price >= symbol->upper_limit && tally->upper_time[0] == '\0')
    g_strlcpy (tally->upper_time, hhmmss, sizeof tally->upper_time);
  if (price <= symbol->lower_limit && tally->lower_time[0] == '\0')
    g_strlcpy (tally->lower_time, hhmmss, sizeof tally->lower_time);
}

/* FID 25 전일대비기호: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락. */
static const char *
sign_code (const HxSymbol *symbol,
           gint64          price)
{
  if (price >= symbol->upper_limit)
    return "1";
  if (price > symbol->base_price)
    return "2";
  if (price == symbol->base_price)
    return "3";
  if (price <= symbol->lower_limit)
    return "4";
  return "5";
}

/* FID 290 장구분: 1 장전시간외, 2 장중, 3 장후시간외. */
static const char *
session_kind (HogaKrxPhase phase)
{
  switch (phase)
    {
    case HOGA_KRX_PHASE_PRE_MARKET:
      return "1";
    case HOGA_KRX_PHASE_POST_CLOSE:
    case HOGA_KRX_PHASE_AFTER_HOURS_CLOSE:
    case HOGA_KRX_PHASE_AFTER_HOURS_SINGLE:
      return "3";
    case HOGA_KRX_PHASE_CLOSED:
    case HOGA_KRX_PHASE_CONTINUOUS:
    case HOGA_KRX_PHASE_CLOSING_AUCTION:
    default:
      return "2";
    }
}

/* FID 215 장운영구분 codes announced when @phase begins, in order. The spec documents
 * only "0" and "3" for KRX; the others are the codes the OCX API used for the same
 * moments (kiwoom-protocol.md §5.7 0s), so 16:00 announces both the end of the
 * close-price session (b) and the start of the single-price one (c). */
static const char *
phase_codes (HogaKrxPhase phase)
{
  switch (phase)
    {
    case HOGA_KRX_PHASE_PRE_MARKET:
      return "0";
    case HOGA_KRX_PHASE_CONTINUOUS:
      return "3";
    case HOGA_KRX_PHASE_CLOSING_AUCTION:
      return "2";
    case HOGA_KRX_PHASE_POST_CLOSE:
      return "4";
    case HOGA_KRX_PHASE_AFTER_HOURS_CLOSE:
      return "a";
    case HOGA_KRX_PHASE_AFTER_HOURS_SINGLE:
      return "bc";
    case HOGA_KRX_PHASE_CLOSED:
    default:
      return "d";
    }
}

/* The 0B values shared by every session, all but 9081 (which depends on the item). */
static void
append_0b_values (GString        *s,
                  const HxSymbol *symbol,
                  const Tally    *tally,
                  gint64          price,
                  gint64          qty,
                  const char     *hhmmss,
                  HogaKrxPhase    phase)
{
  gint64 base = symbol->base_price;
  gint64 diff = price - base;
  gint64 prev_volume = MAX (symbol->prev_volume, 1);
  gint64 listed = prev_volume * HX_WS_LISTED_PER_DAY_VOLUME;
  gint64 volume_change = symbol->cum_volume - symbol->prev_volume;
  gint64 strength = 0;
  gint64 tick_amount = price * (gint64) magnitude_of (qty);

  if (tally->sell_volume > 0)
    strength = MIN (percent_hundredths (tally->buy_volume, tally->sell_volume), 50000);
  else if (tally->buy_volume > 0)
    strength = 50000;   /* 체결강도 is capped at 500 % */

  put_text (s, 20, hhmmss);
  put_price (s, 10, price, base);
  put_signed (s, 11, diff);
  put_hundredths (s, 12, percent_hundredths (diff, base), TRUE);
  put_price (s, 27, symbol->best_ask, base);
  put_price (s, 28, symbol->best_bid, base);
  put_signed (s, 15, qty);
  put_int (s, 13, symbol->cum_volume);
  put_int (s, 14, symbol->cum_value / 1000000);            /* 백만원 */
  put_price (s, 16, symbol->open, base);
  put_price (s, 17, symbol->high, base);
  put_price (s, 18, symbol->low, base);
  put_text (s, 25, sign_code (symbol, price));
  put_signed (s, 26, volume_change);
  put_signed (s, 29, symbol->cum_value - symbol->prev_volume * base);
  /* live frames carry the volume ratio with the sign of 26 */
  put_decimal (s, 30, volume_change > 0 ? '+' : volume_change < 0 ? '-' : '\0',
               magnitude_of (percent_hundredths (symbol->cum_volume, prev_volume)));
  put_hundredths (s, 31, percent_hundredths (symbol->cum_volume, listed), FALSE);
  put_int (s, 32, 0);
  put_hundredths (s, 228, strength, FALSE);
  put_int (s, 311, price * listed / 100000000);           /* 억원 */
  put_text (s, 290, session_kind (phase));
  put_int (s, 691, 0);
  put_time (s, 567, tally->upper_time);
  put_time (s, 568, tally->lower_time);
  put_text (s, 851, "");
  put_time (s, 1890, tally->open_time);
  put_time (s, 1891, tally->high_time);
  put_time (s, 1892, tally->low_time);
  put_int (s, 1030, tally->sell_volume);
  put_int (s, 1031, tally->buy_volume);
  put_hundredths (s, 1032, percent_hundredths (tally->buy_volume,
                                               MAX (tally->buy_volume + tally->sell_volume, 1)),
                  FALSE);
  put_int (s, 1071, (gint64) tally->sell_trades);
  put_int (s, 1072, (gint64) tally->buy_trades);
  /* thousands of KRW, signed by direction, as live frames show */
  put_signed (s, 1313, (qty < 0 ? -tick_amount : tick_amount) / 1000);
  put_signed (s, 1315, qty < 0 ? qty : 0);
  put_signed (s, 1316, qty > 0 ? qty : 0);
  put_signed (s, 1314, qty);
  put_text (s, 1497, "");
  put_text (s, 1498, "");
  put_int (s, 620, symbol->cum_volume > 0 ? symbol->cum_value / symbol->cum_volume : 0);
  put_text (s, 732, "");
  put_text (s, 852, "");
}

static const char *
exchange_code (const char *item)
{
  return g_str_has_suffix (item, "_NX") ? "2" : "1";
}

/* A whole 0B entry for @item into @s, from values made by append_0b_values(). */
static void
append_0b_entry (GString       *s,
                 const GString *values,
                 const char    *item)
{
  entry_begin (s, "0B", "주식체결", item);
  g_string_append_len (s, values->str, values->len);
  put_text (s, 9081, exchange_code (item));
  close_object (s);
  g_string_append_c (s, '}');
}

static void
append_0d_values (GString        *s,
                  const HxSymbol *symbol,
                  const HxBook   *book,
                  const HxBook   *prev,
                  const char     *hhmmss,
                  HogaKrxPhase    phase)
{
  gint64 base = symbol->base_price;
  gint64 total = book->total_ask_qty + book->total_bid_qty;
  const char *codes = phase_codes (phase);
  char phase_code[2] = { codes[strlen (codes) - 1], '\0' };
  guint i;

  /* the 직전대비 FIDs compare with the previous 0D of this symbol, 0 for the first */
  if (prev == NULL)
    prev = book;

  put_text (s, 21, hhmmss);
  for (i = 0; i < HX_BOOK_LEVELS; i++)
    put_price (s, 41 + i, book->ask[i], base);
  for (i = 0; i < HX_BOOK_LEVELS; i++)
    put_price (s, 51 + i, book->bid[i], base);
  for (i = 0; i < HX_BOOK_LEVELS; i++)
    put_int (s, 61 + i, book->ask_qty[i]);
  for (i = 0; i < HX_BOOK_LEVELS; i++)
    put_int (s, 71 + i, book->bid_qty[i]);
  for (i = 0; i < HX_BOOK_LEVELS; i++)
    put_signed (s, 81 + i, book->ask_qty[i] - prev->ask_qty[i]);
  for (i = 0; i < HX_BOOK_LEVELS; i++)
    put_signed (s, 91 + i, book->bid_qty[i] - prev->bid_qty[i]);
  put_int (s, 121, book->total_ask_qty);
  put_signed (s, 122, book->total_ask_qty - prev->total_ask_qty);
  put_int (s, 125, book->total_bid_qty);
  put_signed (s, 126, book->total_bid_qty - prev->total_bid_qty);
  put_signed (s, 128, book->total_bid_qty - book->total_ask_qty);
  put_hundredths (s, 129, percent_hundredths (book->total_bid_qty, MAX (total, 1)), FALSE);
  put_signed (s, 138, book->total_ask_qty - book->total_bid_qty);
  put_hundredths (s, 139, percent_hundredths (book->total_ask_qty, MAX (total, 1)), FALSE);
  put_int (s, 13, symbol->cum_volume);
  put_text (s, 215, phase_code);
}

/* FID 906: the request's trde_tp code as the text Kiwoom pushes. */
static const char *
order_type_text (const char *trde_tp)
{
  static const struct {
    const char *code;
    const char *text;
  } names[] = {
    { "0", "보통" }, { "3", "시장가" }, { "5", "조건부지정가" }, { "6", "최유리지정가" },
    { "7", "최우선지정가" }, { "10", "보통(IOC)" }, { "13", "시장가(IOC)" },
    { "16", "최유리(IOC)" }, { "20", "보통(FOK)" }, { "23", "시장가(FOK)" },
    { "26", "최유리(FOK)" }, { "28", "스톱지정가" }, { "29", "중간가" },
    { "30", "중간가(IOC)" }, { "31", "중간가(FOK)" }, { "61", "장전시간외" },
    { "62", "시간외단일가" }, { "81", "장후시간외" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].code, trde_tp) == 0)
      return names[i].text;
  return "보통";
}

/* FID 905 주문구분. */
static const char *
order_kind_text (const HxOrder *order)
{
  gboolean buy = order->side == HX_SIDE_BUY;

  switch (order->kind)
    {
    case HX_ORDER_MODIFY:
      return buy ? "+매수정정" : "-매도정정";
    case HX_ORDER_CANCEL:
      return buy ? "매수취소" : "매도취소";
    case HX_ORDER_NEW:
    default:
      return buy ? "+매수" : "-매도";
    }
}

static void
append_00_entry (GString            *s,
                 const HxOrderEvent *event,
                 const char         *hhmmss)
{
  const HxOrder *order = event->order;
  const HxSymbol *symbol = order->symbol;
  gint64 base = symbol->base_price;
  gboolean fill = event->fill_qty > 0;
  gboolean sor = g_strcmp0 (order->stex, "SOR") == 0;
  gboolean nxt = g_strcmp0 (order->stex, "NXT") == 0;

  entry_begin (s, "00", "주문체결", symbol->code);
  put_text (s, 9201, HX_ACCOUNT_NO);
  put_text (s, 9203, order->ord_no);
  put_text (s, 9205, "");
  put_text (s, 9001, symbol->code);
  put_text (s, 912, "JJ");
  put_text (s, 913, event->status);
  put_text (s, 302, symbol->name);
  put_int (s, 900, order->qty);
  put_int (s, 901, order->price);
  put_int (s, 902, order->remaining_qty);
  put_int (s, 903, order->filled_amount);
  put_text (s, 904, order->orig_ord_no);
  put_text (s, 905, order_kind_text (order));
  put_text (s, 906, order_type_text (order->trde_tp));
  put_number (s, 907, '\0', (guint64) order->side, 0);
  put_text (s, 908, hhmmss);
  put_text (s, 909, event->fill_no);
  if (fill)
    {
      put_int (s, 910, event->fill_price);
      put_int (s, 911, event->fill_qty);
    }
  else
    {
      put_text (s, 910, "");
      put_text (s, 911, "");
    }
  put_price (s, 10, hx_symbol_current_price (symbol), base);
  put_price (s, 27, symbol->best_ask, base);
  put_price (s, 28, symbol->best_bid, base);
  if (fill)
    {
      put_int (s, 914, event->fill_price);
      put_int (s, 915, event->fill_qty);
    }
  else
    {
      put_text (s, 914, "");
      put_text (s, 915, "");
    }
  put_int (s, 938, order->commission);
  put_int (s, 939, order->tax);
  put_text (s, 919, order->reject_reason[0] != '\0' ? order->reject_reason : "0");
  put_text (s, 920, "");
  put_text (s, 921, "");
  put_text (s, 922, "00");
  put_text (s, 923, "00000000");
  put_text (s, 10010, "");
  put_text (s, 2134, sor ? "0" : nxt ? "2" : "1");
  put_text (s, 2135, sor ? "통합" : nxt ? "NXT" : "KRX");
  put_text (s, 2136, sor ? "Y" : "N");
  close_object (s);
  g_string_append_c (s, '}');
}

static void
append_04_entry (GString         *s,
                 const HxHolding *holding,
                 const Tally     *tally)
{
  const HxSymbol *symbol = holding->symbol;
  gint64 base = symbol->base_price;
  gint64 current = hx_symbol_current_price (symbol);
  gint64 sold_cost = holding->avg_price * holding->today_sell_qty;
  gint64 pnl_rate = 0;
  char side[2] = { (char) ('0' + (tally->last_fill_side != 0 ? tally->last_fill_side : HX_SIDE_BUY)), '\0' };

  if (holding->avg_price > 0)
    pnl_rate = percent_hundredths (current - holding->avg_price, holding->avg_price);

  entry_begin (s, "04", "현물잔고", symbol->code);
  put_text (s, 9201, HX_ACCOUNT_NO);
  put_text (s, 9001, symbol->code);
  put_text (s, 917, "00");
  put_text (s, 916, "00000000");
  put_text (s, 302, symbol->name);
  put_price (s, 10, current, base);
  put_int (s, 930, holding->qty);
  put_int (s, 931, holding->avg_price);
  put_int (s, 932, holding->purchase_amount);
  put_int (s, 933, holding->sellable_qty);
  put_int (s, 945, holding->today_buy_qty - holding->today_sell_qty);
  put_text (s, 946, side);
  put_int (s, 950, holding->realized_pnl);
  put_hundredths (s, 8019, pnl_rate, FALSE);
  put_int (s, 990, holding->realized_pnl);
  put_hundredths (s, 991, sold_cost > 0 ? percent_hundredths (holding->realized_pnl, sold_cost) : 0,
                  FALSE);
  put_price (s, 27, symbol->best_ask, base);
  put_price (s, 28, symbol->best_bid, base);
  put_int (s, 307, base);
  put_int (s, 957, 0);
  put_int (s, 958, 0);
  put_text (s, 918, "00000000");
  put_int (s, 992, 0);
  put_hundredths (s, 993, 0, FALSE);
  put_int (s, 959, 0);
  put_int (s, 924, 0);
  close_object (s);
  g_string_append_c (s, '}');
}

/* FID 214 장시작예상잔여시간: time left until 09:00 while before it, else "000000". */
static void
format_time_to_open (HxClock *clock,
                     char     hhmmss[7])
{
  g_autoptr(GDateTime) now = hx_clock_now (clock);
  int left = 9 * 3600 - (g_date_time_get_hour (now) * 3600 +
                         g_date_time_get_minute (now) * 60 +
                         g_date_time_get_second (now));
  char *p = hhmmss;

  left = MAX (left, 0);
  p = write_digits (p, (guint64) left / 3600, 2);
  p = write_digits (p, (guint64) left / 60 % 60, 2);
  p = write_digits (p, (guint64) left % 60, 2);
  *p = '\0';
}

static void
append_0s_entry (GString    *s,
                 const char *code,
                 HxClock    *clock)
{
  char now[7];
  char to_open[7] = "000000";

  hx_clock_format_time (clock, now);
  if (g_strcmp0 (code, "0") == 0)
    format_time_to_open (clock, to_open);

  entry_begin (s, "0s", "장시작시간", "");
  put_text (s, 215, code);
  put_text (s, 20, now);
  put_text (s, 214, to_open);
  close_object (s);
  g_string_append_c (s, '}');
}

static const HxOptions *
get_options (HxWs *self)
{
  return hx_exchange_get_options (self->exchange);
}

static gboolean
is_silent (HxWs *self)
{
  return hx_exchange_get_faults (self->exchange)->ws_silent;
}

static gboolean
session_is_open (Session *session)
{
  return !session->closing &&
         soup_websocket_connection_get_state (session->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

static gboolean
session_is_live (Session *session)
{
  return session->logged_in && session_is_open (session);
}

static void
session_send (Session    *session,
              const char *text,
              gsize       len)
{
  g_autoptr(GBytes) bytes = NULL;

  if (!session_is_open (session) || is_silent (session->ws))
    return;

  bytes = g_bytes_new_static (text, len);
  soup_websocket_connection_send_message (session->connection, SOUP_WEBSOCKET_DATA_TEXT, bytes);
}

static void
session_send_string (Session       *session,
                     const GString *text)
{
  session_send (session, text->str, text->len);
}

static void
session_send_system (Session    *session,
                     const char *code,
                     const char *message)
{
  GString *s = session->ws->frame;

  g_string_assign (s, "{\"trnm\":\"SYSTEM\",\"code\":\"");
  g_string_append (s, code);
  g_string_append (s, "\",\"message\":\"");
  append_escaped (s, message);
  g_string_append (s, "\"}");
  session_send_string (session, s);
}

/* {"trnm":…,"return_code":…,"return_msg":…}, the reply of REG, REMOVE and errors. */
static void
session_send_result (Session    *session,
                     const char *trnm,
                     int         return_code,
                     const char *return_msg)
{
  GString *s = session->ws->frame;

  g_string_assign (s, "{\"trnm\":\"");
  append_escaped (s, trnm);
  g_string_append_printf (s, "\",\"return_code\":%d,\"return_msg\":\"", return_code);
  append_escaped (s, return_msg);
  g_string_append (s, "\"}");
  session_send_string (session, s);
}

static void
session_send_seq_result (Session    *session,
                         const char *trnm,
                         const char *seq,
                         int         return_code,
                         const char *return_msg)
{
  GString *s = session->ws->frame;

  g_string_printf (s, "{\"trnm\":\"%s\",\"seq\":\"", trnm);
  append_escaped (s, seq);
  g_string_append_printf (s, "\",\"return_code\":%d,\"return_msg\":\"", return_code);
  append_escaped (s, return_msg);
  g_string_append (s, "\"}");
  session_send_string (session, s);
}

static void
session_flush (Session *session)
{
  if (session->n_pending == 0)
    return;

  g_string_append (session->pending, "]}");
  session_send_string (session, session->pending);
  g_string_truncate (session->pending, 0);
  session->n_pending = 0;
}

static gboolean
flush_cb (gpointer user_data)
{
  Session *session = user_data;

  session->flush_id = 0;
  session_flush (session);

  return G_SOURCE_REMOVE;
}

/* Batches one REAL entry; a frame goes out when it holds entries_per_frame entries, or
 * from an idle with what has gathered by then. */
static void
session_queue_entry (Session       *session,
                     const GString *entry)
{
  guint per_frame = MAX (get_options (session->ws)->entries_per_frame, 1);

  if (!session_is_live (session) || is_silent (session->ws))
    return;

  if (session->n_pending == 0)
    g_string_append (session->pending, "{\"trnm\":\"REAL\",\"data\":[");
  else
    g_string_append_c (session->pending, ',');
  g_string_append_len (session->pending, entry->str, entry->len);
  session->n_pending++;

  if (session->n_pending >= per_frame)
    session_flush (session);
  else if (session->flush_id == 0)
    session->flush_id = g_idle_add (flush_cb, session);
}

static gboolean
session_is_registered (Session    *session,
                       const char *key)
{
  return g_hash_table_contains (session->registered, key);
}

static void
flood_free (Flood *flood)
{
  if (flood->source != NULL)
    {
      g_source_destroy (flood->source);
      g_source_unref (flood->source);
    }
  g_free (flood);
}

static void
session_stop_flood (Session    *session,
                    const char *why)
{
  Flood *flood = g_steal_pointer (&session->flood);

  if (flood == NULL)
    return;

  g_message ("ws session %u: flood %s after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " frames",
             session->id, why, flood->count - flood->remaining, flood->count);
  flood_free (flood);
}

static void
session_stop_timers (Session *session)
{
  g_clear_handle_id (&session->ping_id, g_source_remove);
  g_clear_handle_id (&session->login_id, g_source_remove);
  g_clear_handle_id (&session->flush_id, g_source_remove);
}

/* Starts the closing handshake with @code. The session lives on until ::closed. */
static void
session_close (Session *session,
               gushort  code)
{
  if (session->closing)
    return;

  session->closing = TRUE;
  session_stop_timers (session);
  session_stop_flood (session, "stopped by close");
  g_string_truncate (session->pending, 0);
  session->n_pending = 0;

  if (soup_websocket_connection_get_state (session->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (session->connection, code, NULL);
}

static void
session_free (Session *session)
{
  session_stop_timers (session);
  session_stop_flood (session, "abandoned");
  g_signal_handlers_disconnect_by_data (session->connection, session);
  session->socket = NULL;
  g_clear_object (&session->connection);
  g_clear_pointer (&session->peer, g_free);
  g_clear_pointer (&session->app_key, g_free);
  g_clear_pointer (&session->groups, g_hash_table_unref);
  g_clear_pointer (&session->registered, g_hash_table_unref);
  g_clear_pointer (&session->conditions, g_ptr_array_unref);
  g_string_free (session->pending, TRUE);
  g_free (session);
}

static gboolean
ping_cb (gpointer user_data)
{
  Session *session = user_data;
  HxWs *self = session->ws;
  const HxOptions *options = get_options (self);
  HxFaults *faults = hx_exchange_get_faults (self->exchange);
  static const char ping[] = "{\"trnm\":\"PING\"}";

  if (faults->ws_silent || faults->stop_pings)
    return G_SOURCE_CONTINUE;

  if (options->max_missed_pings > 0 && session->missed_pings >= options->max_missed_pings)
    {
      g_message ("ws session %u: %u PINGs unanswered, closing (R10002)",
                 session->id, session->missed_pings);
      session->ping_id = 0;
      session_send_system (session, "R10002", MSG_R10002);
      session_close (session, SOUP_WEBSOCKET_CLOSE_NORMAL);
      return G_SOURCE_REMOVE;
    }

  session_send (session, ping, sizeof ping - 1);
  session->missed_pings++;

  return G_SOURCE_CONTINUE;
}

static gboolean
login_timeout_cb (gpointer user_data)
{
  Session *session = user_data;

  if (is_silent (session->ws))
    return G_SOURCE_CONTINUE;

  session->login_reminders++;
  session_send_system (session, "R10004", MSG_R10004);

  if (session->login_reminders >= HX_WS_LOGIN_REMINDERS)
    {
      g_message ("ws session %u: no LOGIN, closing", session->id);
      session->login_id = 0;
      session_close (session, SOUP_WEBSOCKET_CLOSE_NORMAL);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static guint
seconds_to_ms (double seconds)
{
  return (guint) MAX (seconds * 1000.0, 1.0);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

static const char *
element_string (JsonArray *array,
                guint      position)
{
  JsonNode *node = json_array_get_element (array, position);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
lookup_type (const char *type,
             ItemKind   *kind)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (real_types); i++)
    if (strcmp (real_types[i].type, type) == 0)
      {
        *kind = real_types[i].kind;
        return TRUE;
      }

  return FALSE;
}

/* "A005930", "005930_AL" … → the listed code plus any exchange suffix, or NULL. */
static char *
normalize_stock_item (HxWs       *self,
                      const char *item)
{
  g_autofree char *code = NULL;
  const char *suffix = "";
  HxSymbol *symbol;
  gsize len;

  if (item[0] == 'A' && strlen (item) > HX_CODE_LEN)
    item++;

  len = strlen (item);
  if (g_str_has_suffix (item, "_NX") || g_str_has_suffix (item, "_AL"))
    {
      suffix = item + len - 3;
      len -= 3;
    }

  code = g_strndup (item, len);
  symbol = hx_market_lookup (hx_exchange_get_market (self->exchange), code);
  if (symbol == NULL || strcmp (symbol->code, code) != 0)
    return NULL;

  return g_strconcat (symbol->code, suffix, NULL);
}

/* Checks a REG/REMOVE request and collects its "TYPE\tITEM" keys; on a problem
 * returns FALSE with the reason for return_msg. */
static gboolean
parse_registration (HxWs        *self,
                    JsonObject  *request,
                    gboolean     is_reg,
                    const char **grp_no,
                    gboolean    *refresh,
                    GPtrArray   *keys,
                    char       **reason)
{
  const char *refresh_value;
  JsonArray *data;
  guint i, j, k;

  *grp_no = member_string (request, "grp_no");
  if (*grp_no == NULL || (*grp_no)[0] == '\0' || strlen (*grp_no) > 4)
    {
      *reason = g_strdup ("grp_no 값이 올바르지 않습니다");
      return FALSE;
    }

  *refresh = TRUE;
  if (is_reg && json_object_has_member (request, "refresh"))
    {
      refresh_value = member_string (request, "refresh");
      if (g_strcmp0 (refresh_value, "0") != 0 && g_strcmp0 (refresh_value, "1") != 0)
        {
          *reason = g_strdup ("refresh 값이 올바르지 않습니다");
          return FALSE;
        }
      *refresh = refresh_value[0] == '1';
    }

  data = member_array (request, "data");
  if (data == NULL || json_array_get_length (data) == 0)
    {
      *reason = g_strdup ("data 형식이 올바르지 않습니다");
      return FALSE;
    }

  for (i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      JsonArray *items;
      JsonArray *types;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (items = member_array (json_node_get_object (node), "item")) == NULL ||
          (types = member_array (json_node_get_object (node), "type")) == NULL ||
          json_array_get_length (items) == 0 ||
          json_array_get_length (types) == 0)
        {
          *reason = g_strdup ("data 형식이 올바르지 않습니다 (item, type)");
          return FALSE;
        }

      for (j = 0; j < json_array_get_length (types); j++)
        {
          const char *type = element_string (types, j);
          ItemKind kind;

          if (type == NULL)
            {
              *reason = g_strdup ("data 형식이 올바르지 않습니다 (type)");
              return FALSE;
            }
          if (!lookup_type (type, &kind))
            {
              *reason = g_strdup_printf ("지원하지 않는 실시간 항목입니다 [type=%s]", type);
              return FALSE;
            }

          for (k = 0; k < json_array_get_length (items); k++)
            {
              const char *item = element_string (items, k);
              g_autofree char *normalized = NULL;

              if (item == NULL || strlen (item) > 100)
                {
                  *reason = g_strdup ("data 형식이 올바르지 않습니다 (item)");
                  return FALSE;
                }

              switch (kind)
                {
                case ITEM_NONE:
                  normalized = g_strdup ("");
                  break;
                case ITEM_SECTOR:
                  if (item[0] == '\0')
                    {
                      *reason = g_strdup ("data 형식이 올바르지 않습니다 (item)");
                      return FALSE;
                    }
                  normalized = g_strdup (item);
                  break;
                case ITEM_STOCK:
                default:
                  normalized = normalize_stock_item (self, item);
                  if (normalized == NULL)
                    {
                      *reason = g_strdup_printf ("종목 정보가 없습니다 [item=%s]", item);
                      return FALSE;
                    }
                  break;
                }

              g_ptr_array_add (keys, g_strconcat (type, "\t", normalized, NULL));
            }
        }
    }

  return TRUE;
}

static void
add_item_of_key (GHashTable *items,
                 const char *key)
{
  const char *item = strchr (key, '\t') + 1;

  if (item[0] != '\0')
    g_hash_table_add (items, (gpointer) item);
}

/* Distinct items (stocks, sectors) the session would hold with @extra added. */
static guint
count_items (GHashTable *registered,
             GPtrArray  *extra)
{
  g_autoptr(GHashTable) items = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  guint i;

  if (registered != NULL)
    {
      g_hash_table_iter_init (&iter, registered);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        add_item_of_key (items, key);
    }
  for (i = 0; i < extra->len; i++)
    add_item_of_key (items, g_ptr_array_index (extra, i));

  return g_hash_table_size (items);
}

static void
session_unregister_key (Session    *session,
                        const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (session->registered, key));

  if (n > 1)
    g_hash_table_insert (session->registered, g_strdup (key), GUINT_TO_POINTER (n - 1));
  else
    g_hash_table_remove (session->registered, key);
}

static void
handle_registration (Session    *session,
                     JsonObject *request,
                     const char *trnm)
{
  HxWs *self = session->ws;
  gboolean is_reg = strcmp (trnm, "REG") == 0;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = NULL;
  const char *grp_no;
  gboolean refresh;
  GHashTable *group;
  guint max_items = get_options (self)->max_reg_items;
  guint i;

  if (!parse_registration (self, request, is_reg, &grp_no, &refresh, keys, &reason))
    {
      g_debug ("ws session %u: %s refused: %s", session->id, trnm, reason);
      session_send_result (session, trnm, 1, reason);
      return;
    }

  if (is_reg)
    {
      if (max_items > 0 &&
          count_items (refresh ? session->registered : NULL, keys) > max_items)
        {
          session_send_result (session, trnm, 1, "등록 종목수 초과");
          return;
        }

      if (!refresh)
        {
          g_hash_table_remove_all (session->groups);
          g_hash_table_remove_all (session->registered);
        }

      group = g_hash_table_lookup (session->groups, grp_no);
      if (group == NULL)
        {
          group = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (session->groups, g_strdup (grp_no), group);
        }

      for (i = 0; i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);

          if (g_hash_table_contains (group, key))
            continue;
          g_hash_table_add (group, g_strdup (key));
          g_hash_table_insert (session->registered, g_strdup (key),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (session->registered, key)) + 1));
        }
    }
  else
    {
      group = g_hash_table_lookup (session->groups, grp_no);
      for (i = 0; group != NULL && i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);

          if (g_hash_table_remove (group, key))
            session_unregister_key (session, key);
        }
      if (group != NULL && g_hash_table_size (group) == 0)
        g_hash_table_remove (session->groups, grp_no);
    }

  g_debug ("ws session %u: %s grp_no %s, %u keys, %u registered",
           session->id, trnm, grp_no, keys->len, g_hash_table_size (session->registered));
  session_send_result (session, trnm, 0, "");
}

static void
handle_cnsrlst (Session *session)
{
  HxConditions *conditions = hx_exchange_get_conditions (session->ws->exchange);
  GString *s = session->ws->frame;
  guint n = hx_conditions_get_n (conditions);
  guint i;

  session->cnsrlst_done = TRUE;

  g_string_assign (s, "{\"trnm\":\"CNSRLST\",\"return_code\":0,\"return_msg\":\"\",\"data\":[");
  for (i = 0; i < n; i++)
    {
      const HxCondition *condition = hx_conditions_get (conditions, i);

      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, "[\"");
      append_escaped (s, condition->seq);
      g_string_append (s, "\",\"");
      append_escaped (s, condition->name);
      g_string_append (s, "\"]");
    }
  g_string_append (s, "]}");
  session_send_string (session, s);
}

static gboolean
session_runs_condition (Session    *session,
                        const char *seq)
{
  guint i;

  for (i = 0; i < session->conditions->len; i++)
    if (strcmp (g_ptr_array_index (session->conditions, i), seq) == 0)
      return TRUE;

  return FALSE;
}

static void
send_condition_snapshot (Session    *session,
                         const char *seq,
                         GPtrArray  *members)
{
  GString *s = session->ws->frame;
  guint i;

  g_string_assign (s, "{\"trnm\":\"CNSRREQ\",\"seq\":\"");
  append_escaped (s, seq);
  g_string_append (s, "\",\"return_code\":0,\"return_msg\":\"\",\"data\":");
  if (members->len == 0)
    g_string_append (s, "null");
  else
    {
      g_string_append_c (s, '[');
      for (i = 0; i < members->len; i++)
        {
          if (i > 0)
            g_string_append_c (s, ',');
          g_string_append (s, "{\"jmcode\":\"A");
          append_escaped (s, g_ptr_array_index (members, i));
          g_string_append (s, "\"}");
        }
      g_string_append_c (s, ']');
    }
  g_string_append_c (s, '}');
  session_send_string (session, s);
}

static void
send_condition_page (Session    *session,
                     const char *seq,
                     GPtrArray  *members,
                     guint       offset)
{
  HxWs *self = session->ws;
  HxMarket *market = hx_exchange_get_market (self->exchange);
  GString *s = self->frame;
  guint page_size = MAX (get_options (self)->page_size, 1);
  guint end = MIN (offset + page_size, members->len);
  gboolean more = end < members->len;
  guint i;

  g_string_assign (s, "{\"trnm\":\"CNSRREQ\",\"seq\":\"");
  append_escaped (s, seq);
  g_string_append_printf (s, "\",\"cont_yn\":\"%s\",\"next_key\":\"", more ? "Y" : "N");
  if (more)
    g_string_append_printf (s, "%u", end);
  g_string_append (s, "\",\"return_code\":0,\"return_msg\":\"\",\"data\":");
  if (offset >= end)
    g_string_append (s, "null");
  else
    {
      g_string_append_c (s, '[');
      for (i = offset; i < end; i++)
        {
          const HxSymbol *symbol = hx_market_lookup (market, g_ptr_array_index (members, i));
          gint64 base = symbol->base_price;
          gint64 current = hx_symbol_current_price (symbol);

          if (i > offset)
            g_string_append_c (s, ',');
          g_string_append (s, "{\"9001\":\"A");
          g_string_append (s, symbol->code);
          g_string_append (s, "\",");
          put_text (s, 302, symbol->name);
          put_padded (s, 10, current);
          put_text (s, 25, sign_code (symbol, current));
          put_padded (s, 11, current - base);
          put_padded (s, 12, percent_hundredths (current - base, base));
          put_padded (s, 13, symbol->cum_volume);
          put_padded (s, 16, symbol->open);
          put_padded (s, 17, symbol->high);
          put_padded (s, 18, symbol->low);
          close_object (s);
        }
      g_string_append_c (s, ']');
    }
  g_string_append_c (s, '}');
  session_send_string (session, s);
}

static void
handle_cnsrreq (Session    *session,
                JsonObject *request)
{
  HxWs *self = session->ws;
  HxConditions *conditions = hx_exchange_get_conditions (self->exchange);
  const char *raw_seq = member_string (request, "seq");
  const char *search_type = member_string (request, "search_type");
  g_autofree char *seq = g_strstrip (g_strdup (raw_seq != NULL ? raw_seq : ""));
  g_autoptr(GPtrArray) members = NULL;
  guint max = get_options (self)->max_realtime_conditions;

  if (seq[0] == '\0' ||
      (g_strcmp0 (search_type, "0") != 0 && g_strcmp0 (search_type, "1") != 0))
    {
      session_send_seq_result (session, "CNSRREQ", seq, 1, "요청 값이 올바르지 않습니다 (seq, search_type)");
      return;
    }
  if (hx_conditions_lookup (conditions, seq) == NULL)
    {
      session_send_seq_result (session, "CNSRREQ", seq, 1, "조건검색식이 존재하지 않습니다");
      return;
    }

  members = hx_conditions_members (conditions, seq);

  if (search_type[0] == '1')
    {
      if (!session->cnsrlst_done)
        {
          session_send_seq_result (session, "CNSRREQ", seq, 1,
                                   "조건검색 목록조회(CNSRLST)를 먼저 요청해야 합니다");
          return;
        }
      if (!session_runs_condition (session, seq))
        {
          if (max > 0 && session->conditions->len >= max)
            {
              session_send_seq_result (session, "CNSRREQ", seq, 1,
                                       "실시간 조건검색 요청 개수를 초과하였습니다");
              return;
            }
          g_ptr_array_add (session->conditions, g_strdup (seq));
        }
      g_debug ("ws session %u: realtime condition %s started", session->id, seq);
      send_condition_snapshot (session, seq, members);
    }
  else
    {
      const char *cont_yn = member_string (request, "cont_yn");
      const char *next_key = member_string (request, "next_key");
      guint64 offset = 0;

      if (g_strcmp0 (cont_yn, "Y") == 0 &&
          (next_key == NULL ||
           !g_ascii_string_to_unsigned (next_key, 10, 0, members->len, &offset, NULL)))
        {
          session_send_seq_result (session, "CNSRREQ", seq, 1, "next_key 값이 올바르지 않습니다");
          return;
        }
      send_condition_page (session, seq, members, (guint) offset);
    }
}

static void
handle_cnsrclr (Session    *session,
                JsonObject *request)
{
  HxConditions *conditions = hx_exchange_get_conditions (session->ws->exchange);
  const char *raw_seq = member_string (request, "seq");
  g_autofree char *seq = g_strstrip (g_strdup (raw_seq != NULL ? raw_seq : ""));
  guint i;

  if (hx_conditions_lookup (conditions, seq) == NULL)
    {
      session_send_seq_result (session, "CNSRCLR", seq, 1, "조건검색식이 존재하지 않습니다");
      return;
    }

  for (i = 0; i < session->conditions->len; i++)
    if (strcmp (g_ptr_array_index (session->conditions, i), seq) == 0)
      {
        g_ptr_array_remove_index (session->conditions, i);
        break;
      }

  session_send_seq_result (session, "CNSRCLR", seq, 0, "");
}

static void
handle_login (Session    *session,
              JsonObject *request)
{
  HxWs *self = session->ws;
  const char *token = member_string (request, "token");
  const char *app_key = NULL;
  static const char ack[] = "{\"trnm\":\"LOGIN\",\"return_code\":0,\"return_msg\":\"\",\"sor_yn\":\"N\"}";
  guint i;

  if (token != NULL && token[0] != '\0')
    app_key = hx_auth_lookup (hx_exchange_get_auth (self->exchange), token);

  if (app_key == NULL)
    {
      GString *s = self->frame;

      g_message ("ws session %u: LOGIN refused (invalid token)", session->id);
      g_string_assign (s, "{\"trnm\":\"LOGIN\",\"return_code\":805004,\"return_msg\":\"" MSG_LOGIN_FAILED "\"}");
      session_send_string (session, s);
      session_close (session, SOUP_WEBSOCKET_CLOSE_NORMAL);
      return;
    }

  /* One session per app key: the newer login wins, as Kiwoom does. */
  for (i = 0; i < self->sessions->len; i++)
    {
      Session *other = g_ptr_array_index (self->sessions, i);

      if (other == session || !other->logged_in || other->closing ||
          g_strcmp0 (other->app_key, app_key) != 0)
        continue;

      g_message ("ws session %u: replaced by session %u with the same app key (R10001)",
                 other->id, session->id);
      session_send_system (other, "R10001", MSG_R10001);
      session_close (other, SOUP_WEBSOCKET_CLOSE_NORMAL);
    }

  g_free (session->app_key);
  session->app_key = g_strdup (app_key);
  if (!session->logged_in)
    g_message ("ws session %u: logged in", session->id);
  session->logged_in = TRUE;
  g_clear_handle_id (&session->login_id, g_source_remove);
  session_send (session, ack, sizeof ack - 1);
}

static void
handle_request (Session    *session,
                JsonObject *request,
                const char *trnm)
{
  gboolean needs_login = (strcmp (trnm, "REG") == 0 || strcmp (trnm, "REMOVE") == 0 ||
                          g_str_has_prefix (trnm, "CNSR"));

  if (strcmp (trnm, "LOGIN") == 0)
    handle_login (session, request);
  else if (strcmp (trnm, "PING") == 0)
    session->missed_pings = 0;
  else if (needs_login && !session->logged_in)
    session_send_system (session, "R10004", MSG_R10004);
  else if (strcmp (trnm, "REG") == 0 || strcmp (trnm, "REMOVE") == 0)
    handle_registration (session, request, trnm);
  else if (strcmp (trnm, "CNSRLST") == 0)
    handle_cnsrlst (session);
  else if (strcmp (trnm, "CNSRREQ") == 0)
    handle_cnsrreq (session, request);
  else if (strcmp (trnm, "CNSRCLR") == 0)
    handle_cnsrclr (session, request);
  else
    session_send_result (session, trnm, 1, "지원하지 않는 요청입니다 [trnm]");
}

static void
message_cb (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Session *session = user_data;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root = NULL;
  const char *trnm = NULL;
  gconstpointer data;
  gsize size;

  if (is_silent (session->ws) || session->closing)
    return;

  data = g_bytes_get_data (message, &size);
  if (size > HX_WS_MAX_MESSAGE_SIZE)
    {
      g_message ("ws session %u: %" G_GSIZE_FORMAT "-byte message, closing (1009)",
                 session->id, size);
      session_close (session, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
      return;
    }

  parser = json_parser_new ();
  if (type == SOUP_WEBSOCKET_DATA_TEXT &&
      json_parser_load_from_data (parser, data, (gssize) size, &error) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    trnm = member_string (json_node_get_object (root), "trnm");

  if (trnm == NULL)
    {
      g_debug ("ws session %u: malformed message (%s)", session->id,
               error != NULL ? error->message : "no trnm");
      session_send_system (session, "R10010", MSG_R10010);
      return;
    }

  handle_request (session, json_node_get_object (root), trnm);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          gpointer                 user_data)
{
  Session *session = user_data;

  g_debug ("ws session %u: %s", session->id, error->message);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           gpointer                 user_data)
{
  Session *session = user_data;
  HxWs *self = session->ws;

  g_message ("ws session %u: closed (code %u)", session->id,
             soup_websocket_connection_get_close_code (connection));
  g_ptr_array_remove (self->sessions, session);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  HxWs *self = user_data;
  const HxOptions *options = get_options (self);
  GSocket *socket = soup_server_message_get_socket (msg);
  Session *session;

  session = g_new0 (Session, 1);
  session->ws = self;
  session->id = ++self->last_session_id;
  session->connection = g_object_ref (connection);
  soup_websocket_connection_set_max_incoming_payload_size (connection, HX_WS_MAX_FRAME_SIZE);
  /* Borrowed: the connection's stream owns the socket for as long as we hold the
   * connection. A ref of our own made LeakSanitizer report the socket as leaked
   * under libsoup 3.2. */
  session->socket = socket;
  session->peer = g_strdup (soup_server_message_get_remote_host (msg));
  session->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
  session->registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  session->conditions = g_ptr_array_new_with_free_func (g_free);
  session->pending = g_string_sized_new (4096);

  g_signal_connect (connection, "message", G_CALLBACK (message_cb), session);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), session);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), session);

  if (options->ping_interval > 0)
    session->ping_id = g_timeout_add (seconds_to_ms (options->ping_interval), ping_cb, session);
  if (options->login_timeout > 0)
    session->login_id = g_timeout_add (seconds_to_ms (options->login_timeout), login_timeout_cb, session);

  g_ptr_array_add (self->sessions, session);
  g_message ("ws session %u: opened from %s", session->id, session->peer);
}

static void
trade_cb (HxMarket *market,
          gpointer  data,
          HxWs     *self)
{
  const HxTrade *trade = data;
  const HxSymbol *symbol = trade->symbol;
  Tally *tally = lookup_tally (self, symbol);
  HogaKrxPhase phase = hx_clock_get_phase (hx_exchange_get_clock (self->exchange));
  char keys_0b[G_N_ELEMENTS (item_suffixes)][16];
  char keys_0d[G_N_ELEMENTS (item_suffixes)][16];
  gboolean have_0b = FALSE;
  gboolean have_0d = FALSE;
  guint i, j;

  tally_add_trade (tally, symbol, trade->price, trade->qty, trade->hhmmss);

  /* The tally still counts the trade, so the first tick after the fault carries the true
   * cumulative figures. */
  if (hx_exchange_get_faults (self->exchange)->hold_ticks)
    return;

  for (j = 0; j < G_N_ELEMENTS (item_suffixes); j++)
    {
      g_snprintf (keys_0b[j], sizeof keys_0b[j], "0B\t%s%s", symbol->code, item_suffixes[j]);
      g_snprintf (keys_0d[j], sizeof keys_0d[j], "0D\t%s%s", symbol->code, item_suffixes[j]);
    }

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (!session_is_live (session) || g_hash_table_size (session->registered) == 0)
        continue;

      for (j = 0; j < G_N_ELEMENTS (item_suffixes); j++)
        {
          if (!session_is_registered (session, keys_0b[j]))
            continue;

          if (!have_0b)
            {
              g_string_truncate (self->values, 0);
              append_0b_values (self->values, symbol, tally, trade->price, trade->qty,
                                trade->hhmmss, phase);
              have_0b = TRUE;
            }
          g_string_truncate (self->entry, 0);
          append_0b_entry (self->entry, self->values, strchr (keys_0b[j], '\t') + 1);
          session_queue_entry (session, self->entry);
        }

      for (j = 0; j < G_N_ELEMENTS (item_suffixes); j++)
        {
          if (!session_is_registered (session, keys_0d[j]))
            continue;

          if (!have_0d)
            {
              HxBook book;

              hx_market_get_book (market, symbol, &book);
              g_string_truncate (self->book_values, 0);
              append_0d_values (self->book_values, symbol, &book, tally->book, trade->hhmmss, phase);
              if (tally->book == NULL)
                tally->book = g_new (HxBook, 1);
              *tally->book = book;
              have_0d = TRUE;
            }
          g_string_truncate (self->entry, 0);
          entry_begin (self->entry, "0D", "주식호가잔량", strchr (keys_0d[j], '\t') + 1);
          g_string_append_len (self->entry, self->book_values->str, self->book_values->len);
          close_object (self->entry);
          g_string_append_c (self->entry, '}');
          session_queue_entry (session, self->entry);
        }
    }
}

static void
queue_to_logged_in (HxWs          *self,
                    const GString *entry)
{
  guint i;

  for (i = 0; i < self->sessions->len; i++)
    session_queue_entry (g_ptr_array_index (self->sessions, i), entry);
}

static void
order_event_cb (HxAccount *account,
                gpointer   data,
                HxWs      *self)
{
  const HxOrderEvent *event = data;
  char now[7];

  if (event->fill_qty > 0)
    lookup_tally (self, event->order->symbol)->last_fill_side = event->order->side;

  hx_clock_format_time (hx_exchange_get_clock (self->exchange), now);
  g_string_truncate (self->entry, 0);
  append_00_entry (self->entry, event, now);
  queue_to_logged_in (self, self->entry);
}

static void
balance_event_cb (HxAccount *account,
                  gpointer   data,
                  HxWs      *self)
{
  const HxHolding *holding = data;

  g_string_truncate (self->entry, 0);
  append_04_entry (self->entry, holding, lookup_tally (self, holding->symbol));
  queue_to_logged_in (self, self->entry);
}

static void
push_session_code (HxWs       *self,
                   const char *code)
{
  guint i;

  g_string_truncate (self->entry, 0);
  append_0s_entry (self->entry, code, hx_exchange_get_clock (self->exchange));

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session_is_registered (session, "0s\t"))
        session_queue_entry (session, self->entry);
    }
}

static void
phase_changed_cb (HxClock *clock,
                  guint    phase,
                  HxWs    *self)
{
  const char *codes = phase_codes ((HogaKrxPhase) phase);

  g_debug ("ws: phase %s", hoga_krx_phase_to_string ((HogaKrxPhase) phase));

  for (; *codes != '\0'; codes++)
    {
      char code[2] = { *codes, '\0' };

      push_session_code (self, code);
    }
}

static void
condition_changed_cb (HxConditions *conditions,
                      const char   *seq,
                      const char   *code,
                      gboolean      inserted,
                      HxWs         *self)
{
  char now[7];
  guint i;

  hx_clock_format_time (hx_exchange_get_clock (self->exchange), now);

  g_string_truncate (self->entry, 0);
  entry_begin (self->entry, "02", "조건검색", code);
  put_text (self->entry, 841, seq);
  put_text (self->entry, 9001, code);
  put_text (self->entry, 843, inserted ? "I" : "D");
  put_text (self->entry, 20, now);
  put_text (self->entry, 907, "2");
  close_object (self->entry);
  g_string_append_c (self->entry, '}');

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session_runs_condition (session, seq))
        session_queue_entry (session, self->entry);
    }
}

static guint32
flood_random (Flood *flood)
{
  /* xorshift32: cheap, and reproducible for a given session */
  flood->rng ^= flood->rng << 13;
  flood->rng ^= flood->rng >> 17;
  flood->rng ^= flood->rng << 5;
  return flood->rng;
}

/* The next synthetic trade: one tick up, down or unchanged, inside the daily limits. */
static void
flood_step (Flood  *flood,
            gint64 *price,
            gint64 *qty)
{
  HxSymbol *symbol = &flood->symbol;
  guint32 r = flood_random (flood);
  gint64 next = hoga_krx_add_ticks (symbol->last, (int) (r % 3) - 1);

  next = CLAMP (next, symbol->lower_limit, symbol->upper_limit);
  *price = next;
  *qty = (gint64) (1 + (r >> 8) % 100) * ((r >> 4) & 1 ? 1 : -1);

  symbol->last = next;
  symbol->high = MAX (symbol->high, next);
  symbol->low = symbol->low > 0 ? MIN (symbol->low, next) : next;
  if (symbol->open == 0)
    symbol->open = next;
  symbol->best_ask = *qty > 0 ? next : MIN (hoga_krx_add_ticks (next, 1), symbol->upper_limit);
  symbol->best_bid = *qty > 0 ? MAX (hoga_krx_add_ticks (next, -1), symbol->lower_limit) : next;
  symbol->cum_volume += magnitude_of (*qty);
  symbol->cum_value += next * (gint64) magnitude_of (*qty);
  symbol->n_trades++;
}

/* Corked, a batch leaves in full-sized segments rather than one per frame, which
 * saves the reader most of its wake-ups on loopback. */
static void
flood_set_corked (Session  *session,
                  gboolean  corked)
{
#ifdef TCP_CORK
  g_autoptr(GError) error = NULL;

  if (!g_socket_set_option (session->socket, IPPROTO_TCP, TCP_CORK, corked, &error))
    g_debug ("ws session %u: TCP_CORK: %s", session->id, error->message);
#endif
}

static gboolean
flood_ready_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  Session *session = user_data;
  HxWs *self = session->ws;
  Flood *flood = session->flood;
  HxClock *clock = hx_exchange_get_clock (self->exchange);
  HogaKrxPhase phase = hx_clock_get_phase (clock);
  guint64 n = MIN (flood->remaining, HX_WS_FLOOD_BATCH);
  char now[7];
  guint64 i;

  if (!session_is_live (session) || is_silent (self))
    {
      session_stop_flood (session, "abandoned");
      return G_SOURCE_REMOVE;
    }

  hx_clock_format_time (clock, now);
  flood_set_corked (session, TRUE);

  for (i = 0; i < n; i++)
    {
      gint64 price, qty;

      flood_step (flood, &price, &qty);
      tally_add_trade (&flood->tally, &flood->symbol, price, qty, now);

      g_string_truncate (self->values, 0);
      append_0b_values (self->values, &flood->symbol, &flood->tally, price, qty, now, phase);
      g_string_assign (self->frame, "{\"trnm\":\"REAL\",\"data\":[");
      append_0b_entry (self->frame, self->values, flood->symbol.code);
      g_string_append (self->frame, "]}");
      session_send_string (session, self->frame);
    }
  flood->remaining -= n;
  flood_set_corked (session, FALSE);

  if (flood->remaining == 0)
    {
      double elapsed = (g_get_monotonic_time () - flood->started_us) / 1e6;

      g_message ("ws session %u: flood of %" G_GUINT64_FORMAT " %s frames done in %.3f s (%.0f frames/s)",
                 session->id, flood->count, flood->symbol.code, elapsed,
                 elapsed > 0 ? flood->count / elapsed : 0.0);
      session->flood = NULL;
      flood_free (flood);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
session_start_flood (Session        *session,
                     const HxSymbol *symbol,
                     guint64         count)
{
  Flood *flood;

  if (session->socket == NULL)
    {
      g_warning ("ws session %u: no socket to flood", session->id);
      return;
    }

  if (session->flood != NULL)
    {
      session->flood->remaining += count;
      session->flood->count += count;
      return;
    }

  flood = g_new0 (Flood, 1);
  flood->symbol = *symbol;
  if (flood->symbol.last == 0)
    flood->symbol.last = hx_symbol_current_price (symbol);
  flood->count = count;
  flood->remaining = count;
  flood->started_us = g_get_monotonic_time ();
  flood->rng = 0x9e3779b9u ^ session->id;
  flood->source = g_socket_create_source (session->socket, G_IO_OUT, NULL);
  g_source_set_priority (flood->source, HX_WS_FLOOD_PRIORITY);
  g_source_set_static_name (flood->source, "hoga-exchange flood");
  g_source_set_callback (flood->source, G_SOURCE_FUNC (flood_ready_cb), session, NULL);
  g_source_attach (flood->source, NULL);
  session->flood = flood;

  g_message ("ws session %u: flood of %" G_GUINT64_FORMAT " %s frames started",
             session->id, count, symbol->code);
}

static void
send_binary_to_logged_in (HxWs          *self,
                          const GString *payload)
{
  guint i;

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session_is_live (session) && !is_silent (self))
        soup_websocket_connection_send_binary (session->connection, payload->str, payload->len);
    }
}

static void
send_text_to_logged_in (HxWs          *self,
                        const GString *payload)
{
  guint i;

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session_is_live (session))
        session_send_string (session, payload);
    }
}

/* A valid 0B entry for @symbol as it stands now. */
static void
append_current_0b (HxWs           *self,
                   GString        *s,
                   const HxSymbol *symbol)
{
  char now[7];
  gint64 price = hx_symbol_current_price (symbol);

  hx_clock_format_time (hx_exchange_get_clock (self->exchange), now);
  g_string_truncate (self->values, 0);
  append_0b_values (self->values, symbol, lookup_tally (self, symbol), price, 1, now,
                    hx_clock_get_phase (hx_exchange_get_clock (self->exchange)));
  append_0b_entry (s, self->values, symbol->code);
}

static void
build_malformed (HxWs           *self,
                 GString        *s,
                 const char     *kind,
                 const HxSymbol *symbol)
{
  if (strcmp (kind, "truncated") == 0)
    {
      gsize cut;

      g_string_assign (s, "{\"trnm\":\"REAL\",\"data\":[");
      append_current_0b (self, s, symbol);
      /* cut mid-JSON but between UTF-8 characters: the frame must stay valid text */
      for (cut = s->len / 2; cut > 0 && ((guchar) s->str[cut] & 0xc0) == 0x80; cut--)
        ;
      g_string_truncate (s, cut);
    }
  else if (strcmp (kind, "not-json") == 0)
    g_string_assign (s, "<html><body>502 Bad Gateway</body></html>");
  else if (strcmp (kind, "wrong-types") == 0)
    g_string_printf (s, "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0B\",\"name\":\"주식체결\","
                     "\"item\":%" G_GINT64_FORMAT ",\"values\":{\"20\":90000,\"10\":%" G_GINT64_FORMAT
                     ",\"15\":-1,\"13\":%" G_GINT64_FORMAT ",\"12\":1.5}}]}",
                     g_ascii_strtoll (symbol->code, NULL, 10), hx_symbol_current_price (symbol),
                     symbol->cum_volume);
  else if (strcmp (kind, "unknown-type") == 0)
    g_string_printf (s, "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"9Z\",\"name\":\"알수없음\","
                     "\"item\":\"%s\",\"values\":{\"20\":\"090000\",\"10\":\"+1\"}}]}",
                     symbol->code);
  else if (strcmp (kind, "huge") == 0)
    {
      g_string_assign (s, "{\"trnm\":\"REAL\",\"data\":[");
      while (s->len < HX_WS_HUGE_FRAME_SIZE)
        {
          if (s->str[s->len - 1] == '}')
            g_string_append_c (s, ',');
          append_current_0b (self, s, symbol);
        }
      g_string_append (s, "]}");
    }
  else if (strcmp (kind, "binary") == 0)
    {
      g_string_assign (s, "{\"trnm\":\"REAL\",\"data\":[");
      append_current_0b (self, s, symbol);
      g_string_append (s, "]}");
    }
  else if (strcmp (kind, "empty-data") == 0)
    g_string_assign (s, "{\"trnm\":\"REAL\",\"data\":[]}");
  else if (strcmp (kind, "missing-values") == 0)
    g_string_printf (s, "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0B\",\"name\":\"주식체결\",\"item\":\"%s\"}]}",
                     symbol->code);
  else
    g_assert_not_reached ();
}

static void
hx_ws_dispose (GObject *object)
{
  HxWs *self = (HxWs *) object;

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  /* Closing handshakes finish without us: libsoup keeps its own ref meanwhile. */
  while (self->sessions->len > 0)
    {
      Session *session = g_ptr_array_index (self->sessions, self->sessions->len - 1);

      if (soup_websocket_connection_get_state (session->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (session->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_ptr_array_remove_index (self->sessions, self->sessions->len - 1);
    }

  G_OBJECT_CLASS (hx_ws_parent_class)->dispose (object);
}

static void
hx_ws_finalize (GObject *object)
{
  HxWs *self = (HxWs *) object;

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->tallies, g_array_unref);
  g_string_free (self->values, TRUE);
  g_string_free (self->book_values, TRUE);
  g_string_free (self->entry, TRUE);
  g_string_free (self->frame, TRUE);

  G_OBJECT_CLASS (hx_ws_parent_class)->finalize (object);
}

static void
hx_ws_class_init (HxWsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_ws_dispose;
  object_class->finalize = hx_ws_finalize;
}

static void
hx_ws_init (HxWs *self)
{
  self->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) session_free);
  self->tallies = g_array_new (FALSE, TRUE, sizeof (Tally));
  g_array_set_clear_func (self->tallies, tally_clear);
  self->values = g_string_sized_new (2048);
  self->book_values = g_string_sized_new (2048);
  self->entry = g_string_sized_new (4096);
  self->frame = g_string_sized_new (4096);
}

HxWs *
hx_ws_new (HxExchange *exchange)
{
  HxWs *self;

  g_return_val_if_fail (HX_IS_EXCHANGE (exchange), NULL);

  self = g_object_new (HX_TYPE_WS, NULL);
  self->exchange = exchange;
  self->server = soup_server_new (NULL, NULL);
  /* No permessage-deflate: compressing every tick would cap flood mode far below its
   * target, and a compressed frame would slip past the 128 KiB incoming limit. */
  soup_server_remove_websocket_extension (self->server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_websocket_handler (self->server, HX_WS_PATH, NULL, NULL,
                                     websocket_cb, self, NULL);

  return self;
}

gboolean
hx_ws_listen (HxWs     *self,
              guint16   port,
              GError  **error)
{
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (HX_IS_WS (self), FALSE);
  g_return_val_if_fail (!self->listening, FALSE);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? (guint16) g_uri_get_port (uris->data) : port;
  self->listening = TRUE;

  /* Connected here rather than in hx_ws_new() so the exchange may build its parts in
   * any order before it starts the servers. */
  g_signal_connect_object (hx_exchange_get_market (self->exchange), "trade",
                           G_CALLBACK (trade_cb), self, 0);
  g_signal_connect_object (hx_exchange_get_account (self->exchange), "order-event",
                           G_CALLBACK (order_event_cb), self, 0);
  g_signal_connect_object (hx_exchange_get_account (self->exchange), "balance-event",
                           G_CALLBACK (balance_event_cb), self, 0);
  g_signal_connect_object (hx_exchange_get_clock (self->exchange), "phase-changed",
                           G_CALLBACK (phase_changed_cb), self, 0);
  g_signal_connect_object (hx_exchange_get_conditions (self->exchange), "changed",
                           G_CALLBACK (condition_changed_cb), self, 0);

  return TRUE;
}

char *
hx_ws_get_url (HxWs *self)
{
  g_return_val_if_fail (HX_IS_WS (self), NULL);

  return g_strdup_printf ("ws://127.0.0.1:%u" HX_WS_PATH, self->port);
}

guint
hx_ws_get_n_sessions (HxWs *self)
{
  guint n = 0;
  guint i;

  g_return_val_if_fail (HX_IS_WS (self), 0);

  for (i = 0; i < self->sessions->len; i++)
    if (session_is_open (g_ptr_array_index (self->sessions, i)))
      n++;

  return n;
}

guint
hx_ws_get_n_logged_in (HxWs *self)
{
  guint n = 0;
  guint i;

  g_return_val_if_fail (HX_IS_WS (self), 0);

  for (i = 0; i < self->sessions->len; i++)
    if (session_is_live (g_ptr_array_index (self->sessions, i)))
      n++;

  return n;
}

void
hx_ws_drop_all (HxWs *self)
{
  guint i;

  g_return_if_fail (HX_IS_WS (self));

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);
      g_autoptr(GError) error = NULL;

      session->closing = TRUE;
      session_stop_timers (session);
      session_stop_flood (session, "dropped");
      g_message ("ws session %u: dropped (no close frame)", session->id);

      /* libsoup then reads end-of-stream and tears the connection down without ever
       * writing a close frame: the peer sees the TCP connection end mid-stream. */
      if (session->socket != NULL &&
          !g_socket_shutdown (session->socket, TRUE, TRUE, &error))
        g_debug ("ws session %u: %s", session->id, error->message);
    }
}

void
hx_ws_kick_all (HxWs *self)
{
  guint i;

  g_return_if_fail (HX_IS_WS (self));

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (!session_is_open (session))
        continue;

      g_message ("ws session %u: kicked (R10001)", session->id);
      session_send_system (session, "R10001", MSG_R10001);
      session_close (session, SOUP_WEBSOCKET_CLOSE_NORMAL);
    }
}

gboolean
hx_ws_inject_malformed (HxWs        *self,
                        const char  *kind,
                        GError     **error)
{
  g_autoptr(GString) payload = NULL;
  HxMarket *market;
  gboolean known = FALSE;
  guint i;

  g_return_val_if_fail (HX_IS_WS (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  for (i = 0; i < G_N_ELEMENTS (malformed_kinds); i++)
    known |= strcmp (malformed_kinds[i], kind) == 0;

  market = hx_exchange_get_market (self->exchange);
  if (!known || hx_market_get_n_symbols (market) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown malformed frame kind “%s”", kind);
      return FALSE;
    }

  payload = g_string_sized_new (4096);
  build_malformed (self, payload, kind, hx_market_get_symbol (market, 0));

  g_message ("ws: injecting a malformed frame (%s, %" G_GSIZE_FORMAT " bytes) to %u sessions",
             kind, payload->len, hx_ws_get_n_logged_in (self));

  if (strcmp (kind, "binary") == 0)
    send_binary_to_logged_in (self, payload);
  else
    send_text_to_logged_in (self, payload);

  return TRUE;
}

void
hx_ws_push_session_event (HxWs       *self,
                          const char *code)
{
  g_return_if_fail (HX_IS_WS (self));
  g_return_if_fail (code != NULL);

  push_session_code (self, code);
}

void
hx_ws_flood (HxWs       *self,
             const char *code,
             guint64     count)
{
  HxSymbol *symbol;
  guint i;

  g_return_if_fail (HX_IS_WS (self));
  g_return_if_fail (code != NULL);

  symbol = hx_market_lookup (hx_exchange_get_market (self->exchange), code);
  if (symbol == NULL)
    {
      g_warning ("ws: flood of unknown symbol %s ignored", code);
      return;
    }
  if (count == 0)
    return;

  for (i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session_is_live (session))
        session_start_flood (session, symbol, count);
    }
}
