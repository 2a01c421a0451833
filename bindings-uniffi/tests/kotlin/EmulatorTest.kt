// The generated Kotlin bindings on the JVM against the ACS emulator, HTTP by java.net.http.
//
// Run by scripts/test-uniffi.sh: compiled together with the generated ccpa_optout_uniffi.kt and
// ccpa_optout_core.kt (the core's signal types, package io.github.ccpaoptout.core), JNA on the classpath and the debug library on jna.library.path. No test framework (Maven
// Central is not reachable here): each check throws, and the last line counts the checks.

import io.github.ccpaoptout.*
import io.github.ccpaoptout.core.*
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JdkRequest
import java.net.http.HttpResponse as JdkResponse
import java.net.ConnectException
import java.net.http.HttpTimeoutException
import java.time.Duration
import java.util.Collections
import kotlin.concurrent.thread

const val API_KEY = "kotlin-test-api-key"
const val TOKEN = "kotlin-test-access-token"
const val IMS_ORG = "EMULATORORG0000000000000@AdobeOrg"

/** A host transport as an Android app would write it, here with the JDK's HTTP client. */
class JdkTransport : HttpTransport {
    private val http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
    val seen: MutableList<String> = Collections.synchronizedList(mutableListOf())

    override fun send(request: HttpRequest): HttpResponse {
        val body = request.body()
        val builder = JdkRequest.newBuilder(URI.create(request.url()))
            .timeout(Duration.ofMillis((request.timeoutSeconds() * 1000).toLong()))
            .method(
                request.method(),
                if (body == null) JdkRequest.BodyPublishers.noBody()
                else JdkRequest.BodyPublishers.ofByteArray(body),
            )
        for (header in request.headers()) builder.header(header.name, header.value)
        val answer = try {
            http.send(builder.build(), JdkResponse.BodyHandlers.ofByteArray())
        } catch (e: ConnectException) {
            throw HostException.Connect(e.toString())
        } catch (e: HttpTimeoutException) {
            throw HostException.Timeout(e.toString())
        } catch (e: java.io.IOException) {
            throw HostException.Other(e.toString())
        }
        if (answer.body().size.toULong() > request.maxBodyBytes()) {
            throw HostException.BodyTooLarge("more than ${request.maxBodyBytes()} bytes")
        }
        seen.add("${request.method()} ${answer.statusCode()}")
        val headers = answer.headers().map().flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
        return HttpResponse(answer.statusCode().toUShort(), headers, answer.body())
    }
}

var checks = 0

fun check(condition: Boolean, what: () -> String) {
    if (!condition) throw AssertionError(what())
    checks++
}

inline fun <reified E : Throwable> expect(call: () -> Unit): E {
    try {
        call()
    } catch (e: Throwable) {
        if (e is E) { checks++; return e }
        throw AssertionError("expected ${E::class.simpleName}, got $e")
    }
    throw AssertionError("expected ${E::class.simpleName}, nothing was thrown")
}

fun admin(base: String, method: String, path: String, body: String) {
    val request = JdkRequest.newBuilder(URI.create("$base/_emulator/$path"))
        .method(method, JdkRequest.BodyPublishers.ofString(body)).build()
    HttpClient.newHttpClient().send(request, JdkResponse.BodyHandlers.discarding())
}

fun main(args: Array<String>) {
    val emulator = ProcessBuilder(
        args[0], "--port", "0", "--org", "acme", "--api-key", API_KEY, "--token", TOKEN,
        "--seed", "50", "--fault-seed", "7",
    ).redirectError(ProcessBuilder.Redirect.DISCARD).start()
    try {
        val base = emulator.inputStream.bufferedReader().readLine().trim()
        thread(isDaemon = true) { emulator.inputStream.readAllBytes() }
        run(base)
    } finally {
        emulator.destroy()
    }
    println("kotlin: $checks passed, 0 failed")
}

fun run(base: String) {
    val transport = JdkTransport()
    val api = ApiConfig(organization = "acme", apiKey = API_KEY, baseUrl = base)
    val client = CampaignClient(api, Credentials.accessToken(TOKEN), transport)
    check(!api.toString().contains(API_KEY)) { "ApiConfig.toString() shows the API key: $api" }

    // A listing, page by page.
    val listing = client.listProfiles(pageSize = 20u)
    val sizes = generateSequence { listing.nextPage() }.map { it.size }.toList()
    check(sizes == listOf(20, 20, 10)) { "pages of $sizes" }
    check(listing.isDone()) { "the listing should be done" }
    val seed = client.listProfiles(pageSize = 50u).nextPage()!!

    // Two threads asking one listing at once read two different pages.
    val shared = client.listProfiles(pageSize = 20u)
    val pages = Collections.synchronizedList(mutableListOf<List<String?>>())
    (1..2).map { thread { pages.add(shared.nextPage()!!.map { it.pkey }) } }.forEach { it.join() }
    check(pages.flatten().toSet().size == 40) { "the same page was read twice: $pages" }

    // Idempotent opt-out: one PATCH for two calls.
    val target = seed.first { it.optOut == false }
    val first = client.setOptOut(target.pkey!!, true)
    val again = client.setOptOut(target.pkey!!, true)
    check(first.changed && !again.changed && again.previous == true) { "$first then $again" }
    check(transport.seen.count { it.startsWith("PATCH") } == 1) { "PATCHes: ${transport.seen}" }
    check(client.getOptOut(target.pkey!!)) { "the opt-out should read back as true" }

    // The profile's JSON keeps every field.
    check(client.getProfile(target.pkey!!).json.contains("\"lastModified\"")) { "json lost fields" }

    // Errors are typed exceptions.
    val missing = expect<CcpaOptOutException.NotFound> { client.getProfile("@doesNotExist00000") }
    check(missing.status == 404.toUShort() && missing.kind() == "NotFound") { "$missing" }
    check(missing.toString().startsWith("NotFound (404")) { "toString is the core's line: $missing" }
    val invalid = expect<CcpaOptOutException.Validation> { client.setOptOut("../admin", true) }
    check(invalid.field == "pkey") { "field ${invalid.field}" }

    // Injected 503s are retried by the core; every call ends well.
    admin(base, "PUT", "faults", """{"status": {"503": 0.5}}""")
    val retrying = CampaignClient(
        api, Credentials.accessToken(TOKEN), transport,
        ClientOptions(retry = RetryPolicy(12u, 0.001, 0.005, 1.0)),
    )
    transport.seen.clear()
    repeat(10) { retrying.getOptOut(target.pkey!!) }
    check(transport.seen.count { it == "GET 200" } == 10) { "answers: ${transport.seen}" }
    check(transport.seen.any { it == "GET 503" }) { "no 503 was injected: ${transport.seen}" }
    admin(base, "PUT", "faults", "{}")

    // Many threads on one client.
    val results = Collections.synchronizedList(mutableListOf<Boolean>())
    (1..4).map { thread { results.add(client.getOptOut(target.pkey!!)) } }.forEach { it.join() }
    check(results == listOf(true, true, true, true)) { "threads got $results" }

    // Privacy signals.
    val decision = deriveOptOut(gpc = true, usp = "1YNN")
    check(decision.value == true && decision.reasons.size == 3) { "$decision" }
    check(decodeGpp("DBABBg~BVWSSSVY.YA").saleOptOut == true) { "usca sale opt-out" }
    val broken = deriveOptOut(gpc = true, usp = "1Y-N")
    check(broken.value == true && broken.reasons[1] is OptOutReason.Unreadable) { "$broken" }
    val colorado = decodeGpp("DBABJg~BVWSSVg.YA").sections.states.single()
    check(colorado.section == UsSection.USCO && colorado.saleOptOut == 1.toUByte()) { "$colorado" }
    check(deriveOptOut(gpp = "DBABJg~BVWSSVg.YA").reasons.first() == OptOutReason.Signal(PrivacySignal.GppState(UsSection.USCO), SignalSays.OPT_OUT)) { "usco reason" }
    check(optOutDueDate("2025-01-03") == "2025-01-24") { "due date" }
    val applied = client.applySignals(seed[1].email!!, gpc = true)
    check(applied.changes.isNotEmpty() && applied.changes.all { it.current }) { "$applied" }

    // Privacy Service: a request to know, waited for, its archive downloaded and unzipped.
    val privacy = CampaignClient(
        ApiConfig(organization = "acme", apiKey = API_KEY, baseUrl = base, imsOrg = IMS_ORG, privacyBaseUrl = base),
        Credentials.accessToken(TOKEN), transport,
    )
    val email = seed.mapNotNull { it.email }.groupBy { it }.filterValues { it.size == 1 }.keys.first()
    val user = PrivacyUser("kotlin-1", listOf(PrivacyAction.ACCESS), listOf(emailUserId(email)))
    val created = privacy.submitPrivacyJobs(listOf(user))
    check(created.map { it.userKey to it.action } == listOf("kotlin-1" to PrivacyAction.ACCESS)) { "$created" }
    val done = privacy.waitForPrivacyJob(created[0].jobId, 0.01, 10.0)
    check(done.status == JobStatus.Complete && done.downloadUrl != null) { "$done" }
    val zip = java.util.zip.ZipInputStream(privacy.downloadPrivacyData(done).inputStream())
    val entries = generateSequence { zip.nextEntry }.associate { it.name to zip.readBytes().decodeToString() }
    check(entries["campaign/profiles.json"]?.contains(email) == true) { "archive entries: ${entries.keys}" }
    val noOrg = expect<CcpaOptOutException.Config> { client.listPrivacyJobs() }
    check(noOrg.field == "imsOrg") { "field ${noOrg.field}" }
}
