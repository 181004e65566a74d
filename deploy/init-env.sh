#!/bin/sh
# Writes .env (or the file named as the first argument) from .env.example, putting a fresh random password in
# every empty *_PASSWORD line. Never overwrites: rotate a password by editing .env and restarting.
set -eu

cd "$(dirname "$0")/.."
target=${1:-.env}
if [ -e "$target" ]; then
  echo "$target exists; not overwriting it" >&2
  exit 1
fi

# "w" + 48 hex digits (192 bits): starts with a letter and needs no quoting in nats.conf, .env or a URL.
secret() {
  printf 'w%s' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
}

umask 077
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    [A-Z]*_PASSWORD=) printf '%s%s\n' "$line" "$(secret)" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < .env.example > "$target"
echo "wrote $target with generated passwords; keep it secret"
