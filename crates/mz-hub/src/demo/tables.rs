//! The demo region's registers as data: people, enterprises, departments and terminals (which
//! matters each department handles is in the catalogue, `catalogue/demo.json`).

/// (key, name, area, birth y/m/d, sequence, address)
#[allow(clippy::type_complexity)]
pub(super) const PEOPLE: &[(&str, &str, &str, (i32, u32, u32), u16, &str)] = &[
    (
        "zhang_wei",
        "张伟",
        "421224",
        (1985, 3, 15),
        17,
        "湖北省通山县通羊镇府前路18号",
    ),
    (
        "li_na",
        "李娜",
        "421224",
        (1987, 6, 2),
        26,
        "湖北省通山县通羊镇府前路18号",
    ),
    (
        "wang_xiuying",
        "王秀英",
        "421224",
        (1940, 5, 12),
        2,
        "湖北省通山县南林桥镇石门村3组",
    ),
    (
        "zhang_xiaoming",
        "张小明",
        "421224",
        (2015, 9, 1),
        31,
        "湖北省通山县通羊镇府前路18号",
    ),
    (
        "liu_guilan",
        "刘桂兰",
        "421281",
        (1943, 9, 30),
        44,
        "湖北省赤壁市蒲圻街道沿河大道7号",
    ),
    (
        "zheng_guoping",
        "郑国平",
        "421224",
        (1944, 2, 29),
        51,
        "湖北省通山县大畈镇西泉村",
    ),
    (
        "chen_jianguo",
        "陈建国",
        "421281",
        (1975, 11, 11),
        13,
        "湖北省赤壁市赤马港街道金三角路2号",
    ),
    (
        "zhao_min",
        "赵敏",
        "421202",
        (1990, 1, 20),
        48,
        "湖北省咸宁市咸安区温泉路66号",
    ),
    (
        "sun_qiang",
        "孙强",
        "421223",
        (1968, 7, 7),
        15,
        "湖北省崇阳县天城镇环城路9号",
    ),
    (
        "zhou_jie",
        "周杰",
        "421281",
        (1982, 12, 1),
        37,
        "湖北省赤壁市陆水湖街道陆水路21号",
    ),
    (
        "wu_fang",
        "吴芳",
        "421224",
        (1995, 4, 18),
        62,
        "湖北省通山县通羊镇九宫大道5号",
    ),
    (
        "he_li",
        "何丽",
        "421202",
        (1979, 3, 3),
        24,
        "湖北省咸宁市咸安区银泉大道100号",
    ),
];

/// (key, name, dept/type chars, region, organisation body, legal rep, address)
pub(super) const ENTERPRISES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "xinda",
        "咸宁市鑫达建筑工程有限公司",
        "91",
        "421202",
        "MA4KXD01",
        "sun_qiang",
        "湖北省咸宁市咸安区长江产业园8号",
    ),
    (
        "lvyuan",
        "赤壁市绿源化工有限公司",
        "91",
        "421281",
        "MA4LY002",
        "zhou_jie",
        "湖北省赤壁市赤壁经济开发区化工园2号",
    ),
    (
        "bianmin",
        "通山县吴芳便民超市",
        "92",
        "421224",
        "L3T5N8Q1",
        "wu_fang",
        "湖北省通山县通羊镇九宫大道5号",
    ),
    (
        "repair",
        "通山县张伟家电维修部",
        "92",
        "421224",
        "L3WK7X2P",
        "zhang_wei",
        "湖北省通山县通羊镇府前路20号",
    ),
];

/// The demo department whose seals are SM2/SM3 (business licences and other 市场监管 certificates).
pub const SM2_DEPARTMENT: &str = "market";

/// (key, name, region, organisation body)
pub(super) const DEPARTMENTS: &[(&str, &str, &str, &str)] = &[
    ("police", "咸宁市公安局", "421200", "01000001"),
    ("civil_ts", "通山县民政局", "421224", "01000002"),
    ("land", "咸宁市自然资源和规划局", "421200", "01000003"),
    ("hrss", "咸宁市人力资源和社会保障局", "421200", "01000004"),
    ("medical", "咸宁市医疗保障局", "421200", "01000005"),
    ("market", "咸宁市市场监督管理局", "421200", "01000006"),
    ("ecology", "咸宁市生态环境局", "421200", "01000007"),
    ("housing", "咸宁市住房和城乡建设局", "421200", "01000008"),
    ("ndrc", "咸宁市发展和改革委员会", "421200", "01000009"),
    ("health", "咸宁市卫生健康委员会", "421200", "01000010"),
    ("transport", "咸宁市交通运输局", "421200", "01000011"),
    (
        "gov_ts",
        "通山县政务服务和大数据管理局",
        "421224",
        "01000012",
    ),
    (
        "gov_cb",
        "赤壁市政务服务和大数据管理局",
        "421281",
        "01000013",
    ),
    ("fund", "咸宁市住房公积金中心", "421200", "01000014"),
];

/// (key, kind, name, place, department)
pub(super) const TERMINALS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ts_counter",
        "counter",
        "通山县政务服务中心 综合受理3号窗口",
        "湖北省通山县通羊镇政务服务中心一楼",
        "gov_ts",
    ),
    (
        "ts_identity_desk",
        "counter",
        "通山县政务服务中心 身份核验窗口",
        "湖北省通山县通羊镇政务服务中心一楼",
        "gov_ts",
    ),
    (
        "ts_kiosk",
        "kiosk",
        "通山县24小时自助服务区 1号自助终端",
        "湖北省通山县政务服务中心24小时自助服务区",
        "gov_ts",
    ),
    (
        "ts_property_kiosk",
        "kiosk",
        "通山县不动产自助查询机",
        "湖北省通山县不动产登记中心大厅",
        "land",
    ),
    (
        "cb_counter",
        "counter",
        "赤壁市政务服务中心 5号窗口",
        "湖北省赤壁市政务服务中心二楼",
        "gov_cb",
    ),
    (
        "fund_counter",
        "counter",
        "咸宁市住房公积金中心 2号窗口",
        "湖北省咸宁市住房公积金中心营业大厅",
        "fund",
    ),
    (
        "housing_counter",
        "counter",
        "咸宁市住建局 建筑起重机械登记窗口",
        "湖北省咸宁市市民之家三楼",
        "housing",
    ),
    // Departments' staff consoles (/dept/): what each issued, objections, applications, archives.
    (
        "gov_ts_console",
        "console",
        "通山县政务服务中心 部门工作台",
        "湖北省通山县通羊镇政务服务中心二楼",
        "gov_ts",
    ),
    (
        "civil_ts_console",
        "console",
        "通山县民政局 部门工作台",
        "湖北省通山县通羊镇民政局",
        "civil_ts",
    ),
    (
        "ecology_console",
        "console",
        "咸宁市生态环境局 部门工作台",
        "湖北省咸宁市生态环境局",
        "ecology",
    ),
];
