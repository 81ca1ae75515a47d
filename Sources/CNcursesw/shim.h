// The ncursesw API as Swift can import it: macros and globals become functions and constants.
#ifndef SWITCHBOARD_CNCURSESW_SHIM_H
#define SWITCHBOARD_CNCURSESW_SHIM_H
#define _DEFAULT_SOURCE 1
#define _XOPEN_SOURCE 600
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *sb_stdscr(void) { return stdscr; }
/// newterm on the process's own stdin/stdout: NULL (not exit, as initscr would) when it fails.
static inline SCREEN *sb_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int sb_lines(void) { return getmaxy(stdscr); }
static inline int sb_cols(void) { return getmaxx(stdscr); }
static inline int sb_color_pair(short n) { return (int)COLOR_PAIR(n); }

static const attr_t sb_a_normal = A_NORMAL;
static const attr_t sb_a_bold = A_BOLD;
static const attr_t sb_a_dim = A_DIM;
static const attr_t sb_a_reverse = A_REVERSE;
static const attr_t sb_a_underline = A_UNDERLINE;

static const mmask_t sb_button1_pressed = BUTTON1_PRESSED;
static const mmask_t sb_button1_clicked = BUTTON1_CLICKED;
static const mmask_t sb_button1_double_clicked = BUTTON1_DOUBLE_CLICKED;
static const mmask_t sb_button4_pressed = BUTTON4_PRESSED;
static const mmask_t sb_button5_pressed = BUTTON5_PRESSED;

/// 1 when the terminal can address the cursor (a "dumb" one cannot).
static inline int sb_has_cursor_addressing(void) {
  char *cup = tigetstr("cup");
  return cup != NULL && cup != (char *)-1;
}

/// Draws one cell: a character (with its combining marks) in the given attributes and colour pair.
static inline int sb_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
  cchar_t cell;
  if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
  return mvwadd_wch(stdscr, y, x, &cell);
}
#endif
