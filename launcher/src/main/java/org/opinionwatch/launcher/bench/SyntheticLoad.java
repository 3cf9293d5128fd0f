package org.opinionwatch.launcher.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.opinionwatch.contract.config.OpinionWatchConfig.Subject;
import org.opinionwatch.contract.event.Engagement;
import org.opinionwatch.contract.event.Post;

/**
 * A synthetic but realistic stream of post snapshots, the same for the same seed and size: incidents arrive over
 * days of event time; each is an original post on a school forum or Weibo, in Simplified or Traditional Chinese,
 * with its reposts (mainstream outlets among them when it goes viral); every post is observed several times with
 * its cumulative engagement growing along a saturating curve, fast for the few incidents that go viral. The
 * snapshots are in event-time order across incidents, as a replay publishes them.
 *
 * @param posts the snapshots, in event-time order
 * @param incidents original posts, that is incidents
 * @param offSubject originals about nothing the school watches (they match a subject only through a catch-all)
 * @param traditional originals written in Traditional Chinese
 * @param viral incidents whose engagement is drawn to cross the MAJOR and CRITICAL thresholds of the defaults
 */
record SyntheticLoad(List<Post> posts, int incidents, int offSubject, int traditional, int viral) {
    /** Event time starts here whatever the seed, so that a seed alone fixes every record. */
    private static final Instant START = Instant.parse("2024-05-06T00:00:00Z");
    private static final Duration MEAN_ARRIVAL = Duration.ofMinutes(3);
    private static final Comparator<Post> EVENT_TIME = Comparator.comparing(Post::observedAt);

    /** A phrase in Simplified and in Traditional Chinese. */
    private record Text(String simplified, String traditional) {
        String in(boolean traditionalScript) {
            return traditionalScript ? traditional : simplified;
        }
    }

    /** A campus topic: a headline and what a post about it says; some name a sensitive domain (food, fire, health). */
    private record Topic(Text title, List<Text> sentences) {
    }

    private static Text t(String simplified, String traditional) {
        return new Text(simplified, traditional);
    }

    private static final List<Topic> CAMPUS = List.of(
            new Topic(t("食堂饭菜吃出异物", "食堂飯菜吃出異物"), List.of(
                    t("今天中午在二食堂打的菜里吃出了一只苍蝇。", "今天中午在二食堂打的菜裡吃出了一隻蒼蠅。"),
                    t("食堂的饭菜越来越贵，分量却越来越少。", "食堂的飯菜越來越貴，分量卻越來越少。"))),
            new Topic(t("宿舍楼停水停电", "宿舍樓停水停電"), List.of(
                    t("三号宿舍楼已经连续两天停水了，也没有任何通知。", "三號宿舍樓已經連續兩天停水了，也沒有任何通知。"),
                    t("宿舍的空调坏了一个星期还没有人来修。", "宿舍的空調壞了一個星期還沒有人來修。"))),
            new Topic(t("这学期多收资料费", "這學期多收資料費"), List.of(
                    t("这学期突然多收了八百元的资料费，没有任何说明。", "這學期突然多收了八百元的資料費，沒有任何說明。"),
                    t("补考费和重修费比去年涨了一倍。", "補考費和重修費比去年漲了一倍。"))),
            new Topic(t("期末考试安排", "期末考試安排"), List.of(
                    t("期末考试的时间和地点到现在还没有通知。", "期末考試的時間和地點到現在還沒有通知。"),
                    t("两门考试安排在同一天同一个时间。", "兩門考試安排在同一天同一個時間。"))),
            new Topic(t("老师体罚学生", "老師體罰學生"), List.of(
                    t("有家长反映某班主任在课堂上体罚学生。", "有家長反映某班主任在課堂上體罰學生。"),
                    t("学生说老师经常当着全班的面骂人。", "學生說老師經常當著全班的面罵人。"))),
            new Topic(t("校门口交通拥堵", "校門口交通擁堵"), List.of(
                    t("放学时校门口车辆很多，学生过马路很危险。", "放學時校門口車輛很多，學生過馬路很危險。"),
                    t("校车经常晚点，孩子上课迟到。", "校車經常晚點，孩子上課遲到。"))),
            new Topic(t("实验楼起火", "實驗樓起火"), List.of(
                    t("实验楼昨晚起火，消防车来了好几辆。", "實驗樓昨晚起火，消防車來了好幾輛。"),
                    t("楼里的学生都被疏散到了操场上。", "樓裡的學生都被疏散到了操場上。"))),
            new Topic(t("班上多人发烧", "班上多人發燒"), List.of(
                    t("班上有好几个同学发烧，怀疑是流感。", "班上有好幾個同學發燒，懷疑是流感。"),
                    t("校医院只开了退烧药，没有做检查。", "校醫院只開了退燒藥，沒有做檢查。"))),
            new Topic(t("图书馆开放时间", "圖書館開放時間"), List.of(
                    t("图书馆晚上十点就关门，考试周根本不够用。", "圖書館晚上十點就關門，考試週根本不夠用。"),
                    t("自习室的座位经常被占，找不到地方学习。", "自習室的座位經常被佔，找不到地方學習。"))),
            new Topic(t("保研名额有内幕", "保研名額有內幕"), List.of(
                    t("听说今年的保研名额有内幕。", "聽說今年的保研名額有內幕。"),
                    t("排名靠后的同学反而拿到了名额。", "排名靠後的同學反而拿到了名額。"))));

    /** What the post wants, in the words of the classifier's bundled lexicons: it decides MINOR or GENERAL. */
    private static final List<Text> STANCES = List.of(
            t("已经向学校投诉过，到现在没人管。", "已經向學校投訴過，到現在沒人管。"),
            t("请问这种情况应该找哪个部门？", "請問這種情況應該找哪個部門？"),
            t("建议学校尽快改进。", "建議學校盡快改進。"),
            t("要求学校退费，给个说法。", "要求學校退費，給個說法。"),
            t("网传还有更严重的情况，大家帮忙扩散。", "網傳還有更嚴重的情況，大家幫忙擴散。"),
            t("感谢后勤老师的及时处理，点赞！", "感謝後勤老師的及時處理，點贊！"),
            t("记录一下，大家怎么看？", "記錄一下，大家怎麼看？"));

    /**
     * What makes one telling of a campus topic its own: where, when, who and what followed, a phrase of each picked
     * per incident. Without them every post on a topic tells the same story and story grouping joins them all.
     */
    private static final List<List<Text>> DETAILS = List.of(
            List.of(t("东区三号楼", "東區三號樓"), t("西门附近", "西門附近"), t("南苑食堂二楼", "南苑食堂二樓"), t("北校区体育馆", "北校區體育館"),
                    t("新图书馆五层", "新圖書館五層"), t("老实验楼后面", "老實驗樓後面"), t("第一教学楼", "第一教學樓"), t("研究生公寓", "研究生公寓"),
                    t("医学院门口", "醫學院門口"), t("留学生中心", "留學生中心"), t("校医院走廊", "校醫院走廊"), t("操场看台", "操場看台")),
            List.of(t("周一早上七点", "週一早上七點"), t("昨天傍晚", "昨天傍晚"), t("上周五下午", "上週五下午"), t("今天凌晨", "今天凌晨"),
                    t("开学第二周", "開學第二週"), t("期中考试前夜", "期中考試前夜"), t("国庆假期刚过", "國慶假期剛過"), t("连续三天", "連續三天"),
                    t("晚自习的时候", "晚自習的時候"), t("午休期间", "午休期間"), t("下大雨那天", "下大雨那天"), t("体检当天", "體檢當天")),
            List.of(t("室友小王", "室友小王"), t("隔壁班的同学", "隔壁班的同學"), t("一位大一新生", "一位大一新生"), t("宿管阿姨", "宿管阿姨"),
                    t("我们导员", "我們導員"), t("好几个家长", "好幾個家長"), t("学生会的人", "學生會的人"), t("值班保安", "值班保安"),
                    t("食堂师傅", "食堂師傅"), t("任课老师", "任課老師"), t("校外来访的人", "校外來訪的人"), t("社团负责人", "社團負責人")),
            List.of(t("拍了视频发到群里", "拍了視頻發到群裡"), t("打了校长热线", "打了校長熱線"), t("在表白墙上发帖", "在表白牆上發帖"),
                    t("去教务处反映", "去教務處反映"), t("找辅导员说明情况", "找輔導員說明情況"), t("联系了本地媒体", "聯繫了本地媒體"),
                    t("写了联名信", "寫了聯名信"), t("报了警", "報了警"), t("在课上提了出来", "在課上提了出來"), t("去后勤办公室", "去後勤辦公室"),
                    t("发了朋友圈", "發了朋友圈"), t("录了音", "錄了音")));

    /** Posts about nothing a school watches. */
    private static final List<Topic> ELSEWHERE = List.of(
            new Topic(t("周末去爬山", "週末去爬山"), List.of(t("周末去爬山，天气很好，风景不错。", "週末去爬山，天氣很好，風景不錯。"))),
            new Topic(t("新手机拍照怎么样", "新手機拍照怎麼樣"), List.of(t("新出的手机拍照效果怎么样，值得换吗？", "新出的手機拍照效果怎麼樣，值得換嗎？"))),
            new Topic(t("电影推荐", "電影推薦"), List.of(t("推荐一部最近看的电影，剧情很精彩。", "推薦一部最近看的電影，劇情很精彩。"))));

    private static final List<Text> REPOSTS = List.of(
            t("同问", "同問"), t("太离谱了", "太離譜了"), t("这个要关注一下", "這個要關注一下"), t("顶", "頂"),
            t("学校快出来回应", "學校快出來回應"), t("转发微博", "轉發微博"));

    private static final List<String> OUTLETS = List.of("江城日报", "江城晚报", "江城电视台", "省教育报", "新闻广播", "都市快报");

    /** How an incident grows: how much engagement its original post gets in all, and how fast. */
    private enum Reach {
        QUIET(20, 500, 0, 40, 0, 3, 6 * 60, 3, 8),
        WARM(500, 2500, 20, 150, 2, 8, 3 * 60, 5, 10),
        VIRAL(3000, 20000, 200, 1500, 15, 40, 45, 8, 16);

        final int minViews, maxViews, minComments, maxComments, minReposts, maxReposts, tauMinutes, minSnapshots, maxSnapshots;

        Reach(int minViews, int maxViews, int minComments, int maxComments, int minReposts, int maxReposts,
              int tauMinutes, int minSnapshots, int maxSnapshots) {
            this.minViews = minViews;
            this.maxViews = maxViews;
            this.minComments = minComments;
            this.maxComments = maxComments;
            this.minReposts = minReposts;
            this.maxReposts = maxReposts;
            this.tauMinutes = tauMinutes;
            this.minSnapshots = minSnapshots;
            this.maxSnapshots = maxSnapshots;
        }
    }

    /**
     * {@code count} snapshots for {@code seed}. Originals on a campus topic carry a keyword of one of the
     * configured keyword subjects, taken in turn, so that they match it; with only a catch-all subject (the
     * defaults) every post matches that.
     */
    static SyntheticLoad generate(List<Subject> subjects, long seed, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the load needs at least one snapshot, not " + count);
        }
        List<Subject> keyworded = subjects.stream().filter(s -> !s.keywords().isEmpty()).toList();
        Random random = new Random(seed);
        List<Post> snapshots = new ArrayList<>();
        int incidents = 0, offSubject = 0, traditional = 0, viral = 0;
        Instant arrival = START;
        // Incidents are made until there are enough snapshots; the latest snapshots of the last ones are cut, as a
        // replay of a busy forum cut at some instant would be.
        while (snapshots.size() < count) {
            arrival = arrival.plusMillis(Math.round(-Math.log(1 - random.nextDouble()) * MEAN_ARRIVAL.toMillis()));
            double r = random.nextDouble();
            Reach reach = r < 0.06 ? Reach.VIRAL : r < 0.20 ? Reach.WARM : Reach.QUIET;
            boolean elsewhere = reach == Reach.QUIET && random.nextDouble() < 0.2;
            boolean traditionalScript = random.nextDouble() < 0.3;
            Subject subject = elsewhere || keyworded.isEmpty() ? null : keyworded.get(incidents % keyworded.size());
            incident(random, incidents, arrival, reach, elsewhere, traditionalScript, subject, snapshots);
            incidents++;
            offSubject += elsewhere ? 1 : 0;
            traditional += traditionalScript ? 1 : 0;
            viral += reach == Reach.VIRAL ? 1 : 0;
        }
        snapshots.sort(EVENT_TIME); // stable: a post's snapshots at one instant keep their order
        return new SyntheticLoad(List.copyOf(snapshots.subList(0, count)), incidents, offSubject, traditional, viral);
    }

    /** Whether the post is on a campus topic, not about something the school does not watch. */
    static boolean isCampus(Post post) {
        return CAMPUS.stream().anyMatch(t -> post.title().equals(t.title().simplified) || post.title().equals(t.title().traditional));
    }

    /** Posts of the burst's story, observed in turn: the original post and its reposts. */
    static final int BURST_POSTS = 1000;

    /**
     * One story going viral: {@code count} snapshots of one incident (so one partition and one stream thread), of an
     * original post on a campus topic and its reposts observed in turn, their comments together growing evenly from
     * none to {@code comments}. The times are the sender's to set, as live ingest stamps what it observes.
     */
    static List<Post> burst(List<Subject> subjects, long seed, int count, long comments) {
        Random random = new Random(seed);
        // The exams: no sensitive domain, so the story is MAJOR before it is CRITICAL.
        Topic topic = CAMPUS.get(3);
        StringBuilder text = new StringBuilder();
        topic.sentences().forEach(sentence -> text.append(sentence.simplified()));
        text.append(STANCES.get(0).simplified());
        subjects.stream().filter(s -> !s.keywords().isEmpty()).findFirst().ifPresent(s -> text.append("\n#").append(s.keywords().get(0)));
        String root = "weibo.com/" + (1_000_000 + random.nextInt(9_000_000)) + "/4999999999";
        List<Post> posts = new ArrayList<>(count);
        long[] own = new long[BURST_POSTS];
        for (int i = 0; i < count; i++) {
            int post = i % BURST_POSTS;
            // The comments that came since the last snapshot go to the post observed now: each post's only grow, and
            // together they are the total so far.
            own[post] += comments * (i + 1) / count - comments * i / count;
            String id = post == 0 ? root : root + "/" + post;
            posts.add(new Post(id, "weibo.com", "https://" + id, post == 0 ? topic.title().simplified() : "",
                    post == 0 ? text.toString() : "//@" + "user" + post + ": " + REPOSTS.get(post % REPOSTS.size()).simplified(),
                    "user" + post, START, START, new Engagement(0, own[post], 0, 0), false, post == 0 ? null : root));
        }
        return posts;
    }

    private static void incident(Random random, int n, Instant published, Reach reach, boolean elsewhere,
                                 boolean traditionalScript, Subject subject, List<Post> out) {
        Topic topic = pick(random, elsewhere ? ELSEWHERE : CAMPUS);
        String title = topic.title().in(traditionalScript);
        StringBuilder text = new StringBuilder();
        if (elsewhere) {
            topic.sentences().forEach(sentence -> text.append(sentence.in(traditionalScript)));
        } else {
            // One sentence of the topic, then what this telling has of its own (three times where, when, who and what
            // followed), then the post's stance: two tellings of a topic share too little to be one story.
            text.append(pick(random, topic.sentences()).in(traditionalScript));
            for (int sentence = 0; sentence < 3; sentence++) {
                for (List<Text> detail : DETAILS) {
                    text.append(pick(random, detail).in(traditionalScript));
                }
                text.append("。");
            }
            text.append(pick(random, STANCES).in(traditionalScript));
        }
        if (subject != null) {
            // The keyword, and a word of each all-of group, as a tag line under the post.
            StringBuilder tags = new StringBuilder("#").append(pick(random, subject.keywords()));
            subject.allOf().forEach(group -> tags.append(" #").append(pick(random, group)));
            text.append('\n').append(tags);
        }
        boolean weibo = random.nextBoolean();
        String source = weibo ? "weibo.com" : traditionalScript ? "forum.hk-college.edu.hk" : "bbs.qingxi-school.cn";
        String id = weibo ? "weibo.com/" + (1_000_000 + random.nextInt(9_000_000)) + "/" + (4_000_000_000L + n)
                : source + "/t/" + (100_000 + n);
        long views = between(random, reach.minViews, reach.maxViews);
        long comments = between(random, reach.minComments, reach.maxComments);
        int reposts = (int) between(random, reach.minReposts, reach.maxReposts);
        Duration tau = Duration.ofMinutes(Math.round(reach.tauMinutes * (0.5 + random.nextDouble())));
        Post root = new Post(id, source, "https://" + id, title, text.toString(), "user" + random.nextInt(100_000),
                published, published, Engagement.ZERO, false, null);
        observe(random, root, new Engagement(views, comments, reposts, views / 20), tau,
                (int) between(random, reach.minSnapshots, reach.maxSnapshots), out);

        for (int i = 0; i < reposts; i++) {
            Instant at = published.plusMillis(Math.round(-Math.log(1 - random.nextDouble()) * tau.toMillis()));
            String repostId = "weibo.com/" + (1_000_000 + random.nextInt(9_000_000)) + "/" + (5_000_000_000L + n * 100L + i);
            Post repost = new Post(repostId, "weibo.com", "https://" + repostId, "",
                    "//@" + root.author() + ": " + pick(random, REPOSTS).in(traditionalScript), "user" + random.nextInt(100_000),
                    at, at, Engagement.ZERO, false, id);
            long repostViews = between(random, 0, views / 10);
            observe(random, repost, new Engagement(repostViews, between(random, 0, comments / 20), 0, repostViews / 30),
                    tau, (int) between(random, 2, 4), out);
        }
        // Outlets pick up a viral story, and now and then one that is merely warm.
        int outlets = reach == Reach.VIRAL && random.nextDouble() < 0.4 ? (int) between(random, 1, OUTLETS.size())
                : reach == Reach.WARM && random.nextDouble() < 0.05 ? 1 : 0;
        for (int i = 0; i < outlets; i++) {
            Instant at = published.plus(tau).plusMillis(random.nextInt(3_600_000));
            String outletId = "news.example.cn/" + (600_000_000L + n * 10L + i);
            Post report = new Post(outletId, "news.example.cn", "https://" + outletId, "【关注】" + root.title(),
                    "记者已联系校方核实。" + root.text(), OUTLETS.get(i), at, at, Engagement.ZERO, true, id);
            observe(random, report, new Engagement(between(random, 100, 5000), between(random, 0, 50), 0, 0), tau, 2, out);
        }
    }

    /**
     * {@code snapshots} observations of {@code post}, polled at irregular intervals from shortly after it was
     * published, each with the share of {@code total} reached by then: 1 - e^(-t/tau), so growth is fastest at first.
     */
    private static void observe(Random random, Post post, Engagement total, Duration tau, int snapshots, List<Post> out) {
        Instant at = post.publishedAt().plusSeconds(30 + random.nextInt(270));
        for (int i = 0; i < snapshots; i++) {
            double share = 1 - Math.exp(-(double) Duration.between(post.publishedAt(), at).toMillis() / tau.toMillis());
            Engagement seen = new Engagement(Math.round(total.views() * share), Math.round(total.comments() * share),
                    Math.round(total.reposts() * share), Math.round(total.likes() * share));
            out.add(new Post(post.id(), post.source(), post.url(), post.title(), post.text(), post.author(),
                    post.publishedAt(), at, seen, post.mainstream(), post.repostOf()));
            // The next poll: about half the growth time later, between 2 minutes and 3 hours.
            long next = Math.round(-Math.log(1 - random.nextDouble()) * tau.toMillis() / 2);
            at = at.plusMillis(Math.max(120_000, Math.min(10_800_000, next)));
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static long between(Random random, long min, long max) {
        return max <= min ? min : min + (long) (random.nextDouble() * (max - min + 1));
    }
}
