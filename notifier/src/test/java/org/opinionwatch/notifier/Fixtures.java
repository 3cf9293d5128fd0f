package org.opinionwatch.notifier;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.opinionwatch.contract.config.OpinionWatchConfig.Person;
import org.opinionwatch.contract.event.Level;
import org.opinionwatch.contract.event.Notification;
import org.opinionwatch.contract.event.PostRef;
import org.opinionwatch.contract.event.Role;
import org.opinionwatch.contract.event.WindowMetrics;
import org.opinionwatch.contract.topic.Topics;
import org.opinionwatch.notifier.render.Frame;
import org.opinionwatch.notifier.render.Message;
import org.opinionwatch.notifier.route.Audience;

/** Notifications and messages as the escalation stage writes them, for the notifier's tests. */
public final class Fixtures {
    public static final Instant AT = Instant.parse("2024-05-01T09:00:00Z");
    public static final String TITLE = "宿舍停水三天，学校回应";
    public static final String URL = "https://bbs.example.edu/t/42";
    public static final Person ZHANG = new Person("张老师", "zhang@example.edu", "13800000001", "zhangsan");
    public static final Frame ZH = new Frame("zh-CN", ZoneId.of("Asia/Shanghai"));

    private Fixtures() {
    }

    /** A GENERAL incident's triage, to the office, with its text in the plan's words. */
    public static Notification triage(String id) {
        Instant due = AT.plus(Duration.ofHours(2));
        return new Notification(id, Notification.Kind.DUTIES, "bbs.example.edu/t/42", null, "dormitory", Level.GENERAL, Role.OFFICE,
                List.of("triage-and-forward"), Map.of("triage-and-forward", due),
                "【一般舆情】「" + TITLE + "」\n链接：" + URL + "\n近24小时：浏览 320，评论 41，主流媒体 0 家。\n舆情需要答复，属一般舆情。\n请舆情办公室：\n"
                        + "1. 研判并转交责任部门（5月1日 19:00前）", AT, due, null, new PostRef("bbs.example.edu/t/42", URL, TITLE),
                new WindowMetrics(320, 41, 0), null);
    }

    public static Audience office(Person... onDuty) {
        return new Audience("OFFICE", "舆情办公室", List.of("office"), java.util.Arrays.stream(onDuty).map(p -> "zhang").toList(),
                List.of(onDuty), List.of());
    }

    /** The message of a notification to the office, without links. */
    public static Message message(Notification n, Person... onDuty) {
        return new Message(n, Topics.NOTIFICATION.serialize("notifications", n), office(onDuty), ZH, List.of(), null);
    }

    /** With action links. */
    public static Message withLinks(Notification n, Person... onDuty) {
        Instant until = AT.plus(Duration.ofDays(3));
        return new Message(n, Topics.NOTIFICATION.serialize("notifications", n), office(onDuty), ZH,
                List.of(new Message.Link("triage-and-forward", "已转交", "https://ow.example.edu/links/abc.def"),
                        new Message.Link("dismiss", "不相关", "https://ow.example.edu/links/ghi.jkl")), until);
    }
}
