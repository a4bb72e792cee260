#!/usr/bin/env bash
# A person's session, driven in a terminal (tmux): listen is typed at a
# prompt, the example receiver runs in a second window with the secret listen
# showed, events are triggered, and the screen shows the Ready line, the event
# lines and the responses; Ctrl-C ends listen and gives the prompt back.
# Usage: listen_tmux_test.sh HOOKLINE_BINARY EXAMPLE_RECEIVER_BINARY
HOOKLINE=$1
RECEIVER=$2
source "$(dirname "$0")/support/lib.sh"
command -v tmux > /dev/null || fail "tmux is not installed (scripts/install-deps.sh installs it)"

TMUX_SOCKET="hookline-test-$$"
tmux_() { tmux -L "$TMUX_SOCKET" "$@"; }
stop_tmux() { tmux_ kill-server 2>/dev/null || true; cleanup; }
trap stop_tmux EXIT
screen() { tmux_ capture-pane -p -J -S -200 -t "$1"; }
wait_screen() {  # wait_screen WINDOW PATTERN
  wait_for "screen '$1' | grep -q -- '$2'" 30
}

start_server serve
# The session's secret first (listen --print-secret), so that the receiver
# can start before listen, on a port it binds itself (--port 0) and reports.
SECRET=$("$HOOKLINE" listen --print-secret)
[[ $SECRET == whsec_* ]] || fail "listen --print-secret printed '$SECRET'"

tmux_ -f /dev/null new-session -d -s demo -x 200 -y 50 -n listen "env PS1='$ ' bash --norc --noprofile"
tmux_ new-window -d -t demo -n receiver "env PS1='$ ' bash --norc --noprofile"
tmux_ send-keys -t demo:receiver "$RECEIVER --port 0 --secret $SECRET" Enter
wait_screen demo:receiver "listening on http://127.0.0.1:[0-9]"
PORT=$(screen demo:receiver | grep -o 'listening on http://127.0.0.1:[0-9]*' | head -n 1)
PORT=${PORT##*:}

tmux_ send-keys -t demo:listen "export HOOKLINE_API_BASE=$API_BASE HOOKLINE_API_KEY=$HOOKLINE_API_KEY" Enter
tmux_ send-keys -t demo:listen "$HOOKLINE listen --forward-to localhost:$PORT/webhook --forward-connect-to localhost:$PORT/connect_webhook" Enter
wait_screen demo:listen "Ready! Your webhook signing secret is $SECRET"

trigger_event payment_intent.succeeded
PLATFORM_EVENT=$EVENT_ID
trigger_event payment_intent.succeeded --stripe-account "$(create_account custom)"
CONNECT_EVENT=$EVENT_ID

wait_screen demo:listen "--> payment_intent.succeeded \[$PLATFORM_EVENT\]"
wait_screen demo:listen "<--  \[200\] POST http://localhost:$PORT/webhook \[$PLATFORM_EVENT\]"
wait_screen demo:listen "--> connect payment_intent.succeeded \[$CONNECT_EVENT\]"
wait_screen demo:listen "<--  \[200\] POST http://localhost:$PORT/connect_webhook \[$CONNECT_EVENT\]"
# The receiver verified both and printed what it handled.
wait_screen demo:receiver "succeeded: 2000 usd ($PLATFORM_EVENT on /webhook)"
wait_screen demo:receiver "($CONNECT_EVENT on /connect_webhook)"

# Ctrl-C: listen exits and the prompt comes back.
tmux_ send-keys -t demo:listen C-c
tmux_ send-keys -t demo:listen 'echo "listen exited with $?"' Enter
wait_screen demo:listen 'listen exited with 0'
echo "listen_tmux_test: OK"
screen demo:listen | grep -v '^$'
