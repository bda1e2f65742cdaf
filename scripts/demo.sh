#!/usr/bin/env bash
# Run the demo: the hub with the demo region's data (咸宁), linked through a demo provincial hub
# (湖北) to a demo hub of another city (武汉) with a counter. Installs what is missing first.
# The other two hubs listen on the next two ports.
# Usage: scripts/demo.sh [LISTEN_ADDR]   (default 127.0.0.1:8440)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
listen="${1:-127.0.0.1:8440}"
build_pages
cargo build --release --locked -p mz-hub -p mz-desk
# The wallet app embeds the built pages (the same release build the tests drive).
cargo build --release --locked -p mz-wallet-app
bin="${CARGO_TARGET_DIR:-target}/release/mz-hub"
app="${CARGO_TARGET_DIR:-target}/release/mz-wallet-app"
desk="${CARGO_TARGET_DIR:-target}/release/mz-desk"
mkdir -p demo-data
db="sqlite://$PWD/demo-data/hub.db"
"$bin" demo --db "$db"
host="${listen%:*}"
port="${listen##*:}"
province_listen="$host:$((port + 1))"
other_listen="$host:$((port + 2))"
province_db="sqlite://$PWD/demo-data/hubei.db"
other_db="sqlite://$PWD/demo-data/wuhan.db"
"$bin" demo-province --db "$db" --url "http://$listen" \
  --province-db "$province_db" --province-url "http://$province_listen" \
  --other-db "$other_db" --other-url "http://$other_listen"
cat <<MSG

The hub of the demo region (咸宁市) is starting, with 湖北省's hub at http://$province_listen
and 武汉市's at http://$other_listen. Open:
  http://$listen/counter/                    counter console (窗口受理): register it with a counter's enrolment code above
  http://$listen/kiosk/                      24-hour kiosk (自助终端): register it with a kiosk's enrolment code above
  http://$listen/dept/                       department console (部门工作台): register it with a console's enrolment code above
                                             (生态环境局: objections; 政务服务中心: archive records; 民政局: applications)
  http://$listen/kiosk/ → 家庭房查证明开具 / 社保参保证明查询打印: the proof is issued by the department's
                                             own proof desk (mz-desk, running beside this demo) and printed
                                             with a QR code that leads to http://$listen/check/
  http://$listen/lookup/                     public lookup (电子证照公示): disclosable licences, seals checked in the browser (try 营业执照, 鑫达)
  http://$listen/v1/hub                      the hub, its region and checkpoint key
  http://$listen/v1/catalogue                the catalogue (catalogue/demo.json; `mz-hub catalogue import` loads another)
  http://$listen/openapi.json                every route
  http://$listen/v1/public/certificates?type=pollutant_permit&holder=%E7%BB%BF%E6%BA%90
                                             public lookup (排污许可证 of 绿源化工)
  http://$listen/v1/public/regions/421281/certificates?type=pollutant_permit&holder=%E7%BB%BF%E6%BA%90
                                             the same by region (another region's is asked through the hubs)
  http://$other_listen/counter/                    a counter in 武汉 (江岸区医保, enrolment code above, printed the first
                                             time): scan a 咸宁 holder's code; the request, the holder's
                                             decision and the certificates go through 湖北's hub
Demo identities (fictional) and department keys: demo-data/demo-keys/
The wallet app opens in its own window when there is a display; otherwise run
  MZ_HUB_URL=http://$listen $app
Enrol in it with a demo identity from demo-data/demo-keys/identities.tsv and a 6-digit PIN.
The new device waits for confirmation (a name and an ID number are not proof): open the counter
console (register it with the 身份核验窗口's enrolment code above), open "新设备确认", type the
person's ID number (as staff would after checking the ID card) and the device code the wallet
shows. A second device of the same person is instead approved on the first (设置 → 我的设备).
张伟 also runs a 个体工商户 (通山县张伟家电维修部): his wallet's 企业 mode shows its business
licence (sealed with SM2/SM3 by 市场监管) and lets him grant it to staff for a week.
Face checks (实人): the register holds photos for 王秀英 (86) and 刘桂兰 (83) only, taken from the
offline test photos in ~/.cache/mianzheng/face/photos. To try 高龄津贴代办, enrol as 张伟, open
"代办" and apply for his mother 王秀英; without a camera, choose for each step the photo the step
asks for: front obama.jpg / obama_partial_face.jpg, left obama_partial_face2.jpg, right obama2.jpg.
Stop with Ctrl-C.

MSG
# Each hub's first line says it is listening: open the wallet on that, not after a guess.
exec 4< <(exec "$bin" serve --db "$province_db" --listen "$province_listen")
province_hub=$!
exec 5< <(exec "$bin" serve --db "$other_db" --listen "$other_listen" --ui-dir "$PWD/ui/dist")
other_hub=$!
exec 3< <(exec "$bin" serve --db "$db" --listen "$listen" --ui-dir "$PWD/ui/dist")
hub=$!
desks=""
trap 'kill $hub $province_hub $other_hub $desks 2>/dev/null' EXIT
for fd in 4 5 3; do
  first=""
  read -r first <&"$fd" || true
  case "$first" in
    "listening on "*) echo "$first" ;;
    *) echo "demo: a hub did not start" >&2; exit 1 ;;
  esac
done
# The departments' proof desks (自然资源和规划局: 房查证明; 人社局: 参保证明), with their own keys
# and records, answering the proofs kiosks order.
for d in land hrss; do
  "$desk" --hub "http://$listen" --keys "demo-data/demo-keys/department-$d.keys" \
    --register "demo-data/demo-keys/register-$d.json" > >(sed -u "s/^/[desk $d] /") 2>&1 &
  desks="$desks $!"
done
# The other hubs' log lines, marked (read, so that a full pipe never stops them).
sed -u 's/^/[湖北] /' <&4 &
sed -u 's/^/[武汉] /' <&5 &
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  MZ_HUB_URL="http://$listen" "$app" &
fi
# Run until the hub stops (Ctrl-C): keep reading what it prints.
cat <&3
