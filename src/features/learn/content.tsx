/**
 * Body content of the public `/learn/<slug>` pages.
 *
 * The layout renders the page title as the only `<h1>`, the header, the quick-exit button and the
 * lines-to-call box (`#lines`); these components render only what goes under the title. Every fact
 * comes from the public sources in `shared/seeds` (summarised in DOMAIN.md) and each page names its
 * sources in plain words. Keep each body small: the whole page must fit in 14 KB gzipped.
 *
 * Language rules: "young people", "youth", "victim", "survivor", "someone who hurts you", "buyer".
 * Never the stigmatising words listed in DOMAIN.md §2 (the tests check this).
 */
import type { FC } from 'hono/jsx';

export interface LearnPage {
  slug: string;
  title: string;
  summary: string;
  audience: 'youth' | 'friend' | 'professional' | 'everyone';
  Body: FC;
}

const Sources: FC<{ text: string }> = ({ text }) => (
  <p>
    <strong>Sources:</strong> {text}
  </p>
);

/** Day One, the statewide line (DOMAIN.md §6). */
const DayOne: FC = () => (
  <>
    Day One at <a href="tel:+18662231111">1-866-223-1111</a> or text{' '}
    <a href="sms:+16123999995">612-399-9995</a>
  </>
);

const WhatIsExploitation: FC = () => (
  <>
    <p>
      This page explains sexual exploitation and sex trafficking in plain words. If this sounds like your
      life, it is not your fault. Help exists.
    </p>
    <h2>What is sexual exploitation?</h2>
    <p>
      It is when a young person does something sexual and gets, or is promised,{' '}
      <strong>anything of value</strong> for it. That can be:
    </p>
    <ul>
      <li>money or drugs</li>
      <li>food, a place to stay, or rent</li>
      <li>rides</li>
      <li>status in a gang or group</li>
    </ul>
    <p>
      Something sexual is not only sex. It can be dancing for money or being filmed. Another person may or may
      not be involved.
    </p>
    <h2>What is sex trafficking?</h2>
    <p>
      In Minnesota, it is sex trafficking when someone recruits, brings, keeps or offers a person to be sold
      for sex, or when someone else makes money or gets anything of value from it.
    </p>
    <p>
      <strong>No force is needed.</strong> Minnesota law does not require force, tricks or threats, at any
      age. Federal law and many other states are different.
    </p>
    <h2>Who does this?</h2>
    <p>
      It is not always a stranger. Someone who hurts you can be a boyfriend, a friend, a boss, or a family
      member.
    </p>
    <h2>It is not your fault</h2>
    <p>
      You did nothing wrong. In Minnesota, if you are under 18, the law sees you as a victim and survivor, not
      a criminal. Young people 24 and under can get help and housing.{' '}
      <a href="/learn/your-rights">Read about your rights</a>.
    </p>
    <h2>Where to get help</h2>
    <ul>
      <li>
        Call <DayOne />.
      </li>
      <li>
        <a href="/navigator">Find the navigator for your area</a>.
      </li>
      <li>
        If you are in danger now, call <a href="tel:911">911</a>.
      </li>
    </ul>
    <Sources text="Minnesota Department of Health; Minnesota Statutes 609.321, subdivision 7a; Sex Trafficking and Safe Harbors in Minnesota (fact sheet); Minnesota Department of Human Services." />
  </>
);

const YourRights: FC = () => (
  <>
    <p>
      Minnesota has a law called Safe Harbor. It protects young people who are sexually exploited. Here is
      what it means for you.
    </p>
    <h2>You are not a criminal</h2>
    <ul>
      <li>If you are under 18, the law sees you as a victim and survivor, not a criminal.</li>
      <li>
        You cannot be charged as a delinquent for being sold or exploited: for being paid, or agreeing to be
        paid, for sexual activity. This has been the law since August 1, 2014.
      </li>
      <li>The law raised the penalties for buyers.</li>
    </ul>
    <h2>Help for young people 24 and under</h2>
    <p>
      Young people 24 and under can get Safe Harbor services and safe housing. Help should fit you: your age,
      your culture, your gender, and LGBTQ youth too.
    </p>
    <h2>Your privacy and your choices</h2>
    <p>
      You have a right to privacy and to make your own choices. You decide what to share, and when. You should
      not feel afraid, alone or trapped.
    </p>
    <h2>When you reach out</h2>
    <ul>
      <li>
        Day One is a statewide line. Call <a href="tel:+18662231111">1-866-223-1111</a> or text{' '}
        <a href="sms:+16123999995">612-399-9995</a>. They can tell you about help in your community.
      </li>
      <li>
        A <a href="/navigator">regional navigator</a> is the main contact for young people in your area. A
        navigator helps connect you with services and housing.
      </li>
      <li>
        You can <a href="/help/contact-me">ask a navigator to contact you</a> in a way and at a time that is
        safe for you.
      </li>
      <li>You can ask questions first, before you share anything.</li>
    </ul>
    <h2>Some adults have to report</h2>
    <p>
      We want you to know this before you talk. Some adults must tell child protection or police if they think
      someone under 18 is being hurt. This includes teachers, doctors, nurses, counselors, social workers,
      child care workers and police. They must do it within 24 hours. Staff at the National Human Trafficking
      Hotline must report too.
    </p>
    <p>
      This is not to get you in trouble. You are a victim, not a criminal. When child protection gets
      involved, the focus is your safety and getting you help. You can always ask first: &ldquo;Do you have to
      report what I tell you?&rdquo;
    </p>
    <Sources text="Minnesota Safe Harbor law (in effect August 1, 2014); Minnesota Statutes 145.4716 and chapter 260E; Sex Trafficking and Safe Harbors in Minnesota (fact sheet: the law, its principles, navigators); LSS StreetWorks (Day One); Minnesota Department of Human Services (the child welfare response); National Human Trafficking Hotline." />
  </>
);

const Signs: FC = () => (
  <>
    <p>
      Anyone can be exploited. Below are things you might notice. They do not prove anything, and they are not
      a reason to label anyone. They are a reason to care and to ask if someone is OK.
    </p>
    <h2>Who is more at risk</h2>
    <p>People who exploit young people look for someone who is going through a hard time, such as:</p>
    <ul>
      <li>having no safe place to live, or running away</li>
      <li>missing a lot of school</li>
      <li>past abuse, neglect or trauma</li>
      <li>problems with alcohol or drugs, or mental health struggles</li>
      <li>a family that is not stable, or few people to count on</li>
      <li>not having enough money, food or basics</li>
      <li>family or friends who are involved in selling sex</li>
      <li>being LGBTQ, or treated unfairly because of race or culture</li>
      <li>being in a gang</li>
    </ul>
    <p>Being young is a risk too. For those under 18, the average age it starts is 12 to 14.</p>
    <h2>Things you might notice</h2>
    <ul>
      <li>
        Someone gives a young person money, drugs, food, a place to stay, rides or status, and then wants
        something sexual back.
      </li>
      <li>A young person trades sex for food or a place to sleep.</li>
      <li>A new boyfriend, friend or boss seems to control them.</li>
      <li>They work at a strip club.</li>
      <li>They stop going to school or run away.</li>
    </ul>
    <h2>Where it can start</h2>
    <p>
      People who exploit young people find them online, on social media and chat lines, at after-school
      events, libraries, malls, clubs, on the street and at bus stops. Sometimes they use other young people
      to recruit.
    </p>
    <h2>If you notice something</h2>
    <ul>
      <li>
        Be kind and listen. See <a href="/learn/help-a-friend">how to help a friend</a>.
      </li>
      <li>
        Call <DayOne /> to talk it through.
      </li>
      <li>
        At work with young people? Read <a href="/learn/for-professionals">what the law expects</a>.
      </li>
    </ul>
    <Sources text="Sex Trafficking and Safe Harbors in Minnesota (fact sheet); Minnesota Department of Health." />
  </>
);

const HelpAFriend: FC = () => (
  <>
    <p>
      If a friend tells you something is wrong, you do not have to fix it alone. What you do can help them be
      safe.
    </p>
    <h2>Listen and believe</h2>
    <ul>
      <li>Find a private, safe time to talk.</li>
      <li>Listen. Believe them. Tell them it is not their fault.</li>
      <li>Do not push for details. They choose what to share.</li>
    </ul>
    <h2>Do not confront the person hurting them</h2>
    <p>It can put your friend, and you, in danger. Do not message that person or post about it online.</p>
    <h2>Be honest about secrets</h2>
    <p>
      Do not promise to keep a secret you cannot keep. Say you want to help them be safe. Some adults, like
      teachers, must report when someone under 18 is hurt.{' '}
      <a href="/learn/your-rights">Read what that means</a>.
    </p>
    <p>
      If your friend is in danger now, call <a href="tel:911">911</a>.
    </p>
    <h2>Help them reach help</h2>
    <ul>
      <li>
        Your friend can call <DayOne />. You can sit with them while they do.
      </li>
      <li>
        <a href="/navigator">Find the navigator for their area</a>.
      </li>
      <li>Tell them: in Minnesota, someone under 18 who is exploited is a victim, not a criminal.</li>
      <li>Let them make choices. Keep being their friend.</li>
    </ul>
    <h2>Look after yourself</h2>
    <p>
      This is hard to hear. Talk to an adult you trust. You can call Day One yourself to ask how to help
      someone you know.
    </p>
    <Sources text="LSS StreetWorks (Safe Harbor/No Wrong Door); Sex Trafficking and Safe Harbors in Minnesota (fact sheet); Minnesota Statutes chapter 260E." />
  </>
);

const ForProfessionals: FC = () => (
  <>
    <p>
      For teachers, health and social workers, police and others who work with young people.{' '}
      <strong>This is general information, not legal advice.</strong>
    </p>
    <h2>Who must report</h2>
    <p>
      Mandated reporters include people working in health care, mental health, child care, education, social
      services, probation and corrections, and law enforcement, and clergy in their duties. You must report if
      you know or have reason to believe a child under 18 is being maltreated, or was in the past three years.
    </p>
    <p>
      Sexual abuse includes <strong>all known or suspected child sex trafficking</strong>, whatever the
      alleged offender&rsquo;s relationship to the child, not only parents or caregivers.
    </p>
    <h2>How and when</h2>
    <ol>
      <li>
        Report <strong>immediately</strong>, and no later than <strong>24 hours</strong>, to the local child
        protection agency, police or sheriff.
      </li>
      <li>
        After a spoken report, send a <strong>written report within 72 hours</strong> (not counting weekends
        and holidays).
      </li>
    </ol>
    <p>Anyone else may report too.</p>
    <h2>What happens next</h2>
    <p>
      Child protection responds to every screened-in sex trafficking report. Since July 1, 2024, reports of
      sex trafficking by a non-caregiver get a non-caregiver sex trafficking assessment; other reports are
      investigated. The focus is safety and access to services. Under Safe Harbor, a young person under 18 is
      a victim, not a delinquent.
    </p>
    <h2>What applies to you, and by when</h2>
    <p>
      <a href="/identify">Answer a few questions</a> to see what is happening in Minnesota&rsquo;s terms, what
      the law asks of you with the exact deadlines, and who to call. Nothing you enter is stored.{' '}
      <a href="/rules">Every rule it uses</a> is listed with its legal basis.
    </p>
    <h2>Connect the young person</h2>
    <ul>
      <li>
        <a href="/navigator">Find the regional navigator</a> for the county. Navigators connect youth 24 and
        under with services.
      </li>
      <li>
        <a href="/services">Find services and housing</a>, or call <DayOne />.
      </li>
    </ul>
    <h2>A child from another country</h2>
    <p>
      If you are a local, state or federal official and the child is not a U.S. citizen or permanent resident,
      and may have been trafficked for sex or labor, you must also refer them to the federal Office on
      Trafficking in Persons within 24 hours.
    </p>
    <Sources text="Minnesota Statutes chapter 260E (section 260E.06); Minnesota Department of Human Services, Bulletin 24-68-10; federal Trafficking Victims Protection Act; Minnesota Department of Health." />
  </>
);

const StayingSafeOnline: FC = () => (
  <>
    <p>
      Someone may check your phone or computer. These steps can lower the risk. No step is perfect, so do what
      feels safe for you.
    </p>
    <h2>Quick exit</h2>
    <p>
      Every page has a Quick exit button. It takes you to another website right away. You can also press the
      Esc key. Quick exit may not remove this site from your history.
    </p>
    <h2>Private browsing</h2>
    <p>
      Use a private or incognito window. When you close it, the browser does not keep the pages you saw. It
      does not hide you from your school or work network.
    </p>
    <h2>Clear your history</h2>
    <p>
      Open your browser settings and look for &ldquo;History&rdquo; or &ldquo;Privacy&rdquo;. You can delete
      just the pages from this site. Deleting all history may look odd to someone who checks.
    </p>
    <h2>If someone checks your phone</h2>
    <ul>
      <li>Calls and texts can show in your call list and messages, and sometimes on a phone bill.</li>
      <li>You can delete a call or text after. You do not have to save a number in your contacts.</li>
      <li>
        If it is safer, use a phone the person who hurts you cannot check, like a trusted friend&rsquo;s.
      </li>
      <li>Phones can share your location. Check your settings.</li>
    </ul>
    <h2>Networks</h2>
    <p>Whoever runs a network, like a school, a workplace or shared Wi-Fi, may see which sites you visit.</p>
    <p>
      Read <a href="/privacy">what this site records</a>.
    </p>
    <Sources text="general online safety practice; this site’s privacy notice." />
  </>
);

export const LEARN_PAGES: LearnPage[] = [
  {
    slug: 'what-is-exploitation',
    title: 'What is sexual exploitation?',
    summary: 'Sexual exploitation and sex trafficking in plain words. It is not your fault.',
    audience: 'youth',
    Body: WhatIsExploitation,
  },
  {
    slug: 'your-rights',
    title: 'Your rights under Safe Harbor',
    summary: 'Under 18? You are a victim, not a criminal. Help and housing for young people 24 and under.',
    audience: 'youth',
    Body: YourRights,
  },
  {
    slug: 'signs',
    title: 'Signs someone may be exploited',
    summary: 'Things you might notice, and who is more at risk.',
    audience: 'everyone',
    Body: Signs,
  },
  {
    slug: 'help-a-friend',
    title: 'How to help a friend',
    summary: 'Listen, believe, and help them reach Day One or a navigator.',
    audience: 'friend',
    Body: HelpAFriend,
  },
  {
    slug: 'for-professionals',
    title: 'For professionals: reporting',
    summary: 'What Minnesota law expects of mandated reporters. General information, not legal advice.',
    audience: 'professional',
    Body: ForProfessionals,
  },
  {
    slug: 'staying-safe-online',
    title: 'Staying safe online',
    summary: 'Quick exit, private browsing, clearing history, and if someone checks your phone.',
    audience: 'everyone',
    Body: StayingSafeOnline,
  },
];
