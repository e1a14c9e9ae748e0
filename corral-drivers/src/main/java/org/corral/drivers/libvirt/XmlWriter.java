package org.corral.drivers.libvirt;

import java.io.StringWriter;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A thin helper over the JDK's DOM so that every user value goes through the XML serializer's
 * escaping (text and attributes alike) and nothing is concatenated into markup by hand.
 */
final class XmlWriter {
  private final Document doc;

  private XmlWriter(Document doc) {
    this.doc = doc;
  }

  static XmlWriter create() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(false);
      return new XmlWriter(f.newDocumentBuilder().newDocument());
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser is not configured", e);
    }
  }

  Element root(String name) {
    Element e = doc.createElement(name);
    doc.appendChild(e);
    return e;
  }

  Element child(Element parent, String name) {
    Element e = doc.createElement(name);
    parent.appendChild(e);
    return e;
  }

  Element text(Element parent, String name, String text) {
    Element e = child(parent, name);
    e.setTextContent(text);
    return e;
  }

  /** Adds {@code <name attr=value .../>}; {@code attrs} alternates names and values. */
  Element empty(Element parent, String name, String... attrs) {
    Element e = child(parent, name);
    for (int i = 0; i + 1 < attrs.length; i += 2) {
      e.setAttribute(attrs[i], attrs[i + 1]);
    }
    return e;
  }

  String serialize() {
    try {
      var t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      t.setOutputProperty(OutputKeys.INDENT, "yes");
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new IllegalStateException("could not serialize XML", e);
    }
  }
}
