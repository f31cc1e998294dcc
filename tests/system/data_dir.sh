#!/bin/sh
# data_dir.sh REPCUE SOURCE_DIR PKGDATADIR - where the binary looks for its
# packaged routines and voices. The build-tree binary finds the source
# tree through repcue-data-dir.txt beside it (the README's first command
# runs it); the same binary copied elsewhere without that file - as
# install() copies it - looks only in PKGDATADIR, never in the source tree
# it was built from; $REPCUE_DATA_DIR wins over both. Read from the list of
# folders `repcue play NAME` prints when NAME is nowhere.
set -u
repcue=$1 source=$2 pkgdatadir=$3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
export REPCUE_BOOT_DIR="$work/boot"
unset REPCUE_DATA_DIR REPCUE_CONFIG
status=0
dirs() { "$1" play no-such-routine --config none 2>&1 | grep "no routine 'no-such-routine'"; }

out=$(dirs "$repcue")
echo "build tree: $out"
case $out in *"$source/routines"*) ;; *) echo "FAIL: the build-tree binary does not use $source/routines"; status=1 ;; esac

cp "$repcue" "$work/repcue"
out=$(dirs "$work/repcue")
echo "installed:  $out"
case $out in *"$pkgdatadir/routines"*) ;; *) echo "FAIL: the installed binary does not use $pkgdatadir/routines"; status=1 ;; esac
case $out in *"$source"*) echo "FAIL: the installed binary looks at the source tree"; status=1 ;; esac

out=$(REPCUE_DATA_DIR="$work/data" dirs "$work/repcue")
echo "env:        $out"
case $out in *"$work/data/routines"*) ;; *) echo "FAIL: \$REPCUE_DATA_DIR is not used"; status=1 ;; esac
exit $status
